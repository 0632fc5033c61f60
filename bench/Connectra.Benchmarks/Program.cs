using BenchmarkDotNet.Running;

namespace Connectra.Benchmarks;

public static class Program
{
    /// <summary><c>dotnet run -c Release --project bench/Connectra.Benchmarks -- --filter '*'</c> (see docs/benchmarks.md).</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
