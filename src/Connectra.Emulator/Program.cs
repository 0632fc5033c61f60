namespace Connectra.Emulator;

// Placeholder entry point until the emulator lands.
internal static class Program
{
    private static void Main()
    {
    }
}
