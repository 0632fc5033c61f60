namespace Connectra.Backend.Application;

/// <summary>The caller may see the thing but not do this to it; the API answers 403 with <see cref="Exception.Message"/>.</summary>
public sealed class ForbiddenException(string detail) : Exception(detail);
