namespace Connectra.Backend.Application.Exports;

public enum ExportType
{
    Contacts,
    Companies,
    Emails,
}

public enum ExportStatus
{
    Pending,
    Processing,
    Completed,
    Failed,
    Cancelled,
}

/// <summary>An export job and its file (PostgreSQL <c>user_exports</c>). The owner is the token's <c>sub</c>.</summary>
public sealed class UserExport
{
    public long Id { get; set; }
    public required string ExportId { get; set; }
    public required string UserId { get; set; }
    public ExportType ExportType { get; set; } = ExportType.Contacts;
    public string? FilePath { get; set; }
    public string? FileName { get; set; }
    public int ContactCount { get; set; }
    public List<string> ContactUuids { get; set; } = [];
    public int CompanyCount { get; set; }
    public List<string> CompanyUuids { get; set; } = [];
    public List<string> LinkedinUrls { get; set; } = [];
    public string? EmailContactsJson { get; set; }
    public string? LinkedinUrlsJson { get; set; }
    public ExportStatus Status { get; set; } = ExportStatus.Pending;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public string? DownloadUrl { get; set; }
    public string? DownloadToken { get; set; }
    public int RecordsProcessed { get; set; }
    public int TotalRecords { get; set; }
    public double? ProgressPercentage { get; set; }
    public int? EstimatedTimeRemaining { get; set; }
    public string? ErrorMessage { get; set; }
}
