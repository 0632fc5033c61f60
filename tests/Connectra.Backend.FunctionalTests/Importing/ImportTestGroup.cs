namespace Connectra.Backend.FunctionalTests.Importing;

/// <summary>The import test classes share one <see cref="ImportHost"/>: one database, one emulator, one set of workers.</summary>
[CollectionDefinition(Name)]
public sealed class ImportTestGroup : ICollectionFixture<ImportHost>
{
    public const string Name = "imports";
}
