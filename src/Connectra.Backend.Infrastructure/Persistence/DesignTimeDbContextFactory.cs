using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Connectra.Backend.Infrastructure.Persistence;

/// <summary>Lets `dotnet ef migrations add` build the model without starting the API or reaching a database.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<BackendDbContext>
{
    public BackendDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<BackendDbContext>()
            .UseNpgsql(Environment.GetEnvironmentVariable("ConnectionStrings__Backend") ?? "Host=127.0.0.1;Database=connectra_backend")
            .UseSnakeCaseNamingConvention()
            .Options);
}
