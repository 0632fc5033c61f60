namespace Connectra.Backend.FunctionalTests.Documentation;

/// <summary>Files of this repository, found from the test binaries upwards (the folder that holds the solution).</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Connectra.Backend.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Connectra.Backend.sln not found above " + AppContext.BaseDirectory);
    }
}
