using System.ComponentModel.DataAnnotations;

namespace Connectra.Backend.Infrastructure.Persistence;

public sealed class DatabaseOptions
{
    [Required(ErrorMessage = "ConnectionStrings:Backend is required (a PostgreSQL connection string; env ConnectionStrings__Backend).")]
    public string? ConnectionString { get; set; }
}
