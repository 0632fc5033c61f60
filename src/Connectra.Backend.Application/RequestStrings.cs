namespace Connectra.Backend.Application;

/// <summary>
/// The longest value each free-text request field accepts (characters), for the DataAnnotations that check bodies
/// before a service runs; docs/operations.md#limits lists them beside the configurable limits.
/// </summary>
public static class RequestStrings
{
    public const int SortBy = 1024;
    public const int Direction = 16;
    public const int Cursor = 4096;
    public const int Service = 32;
    public const int FilterKey = 128;
    public const int SearchText = 256;
    public const int Url = 2048;
}
