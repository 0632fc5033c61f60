namespace Connectra.Backend.Api.Http;

/// <summary>
/// Marks a route that takes a file upload: its body may reach Imports:MaxFileBytes, and it is streamed by the action,
/// never bound or buffered (docs/imports.md#limits).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ImportBodyAttribute : Attribute;
