namespace Connectra.Backend.UnitTests.SalesNavigator;

/// <summary>The hand-made Sales Navigator pages under Fixtures/; <c>%RUN%</c> marks where a test may make keys its own.</summary>
public static class SalesNavigatorPages
{
    public static string Load(string name, string run = "") =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "SalesNavigator", "Fixtures", name)).Replace("%RUN%", run, StringComparison.Ordinal);
}
