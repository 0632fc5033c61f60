using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Connectra.Backend.Application.Contacts;

/// <summary>Body of C5: exact LinkedIn profile URLs (no normalisation: Connectra compares them byte for byte).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record LinkedInUrlsRequest
{
    /// <summary>At most Limits:MaxListValues URLs, each at most Limits:MaxStringLength characters (checked by the service).</summary>
    [Required, MinLength(1)]
    public IReadOnlyList<string> Urls { get; init; } = [];

    /// <summary>Only "uuids" exists; kept so existing clients may keep sending it.</summary>
    [StringLength(RequestStrings.Service), RegularExpression("^uuids$", ErrorMessage = "return_format must be 'uuids'.")]
    public string ReturnFormat { get; init; } = "uuids";
}

public sealed record LinkedInContactIds(IReadOnlyList<string> ContactIds, int Count);
