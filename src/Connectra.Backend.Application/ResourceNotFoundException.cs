namespace Connectra.Backend.Application;

/// <summary>The thing asked for does not exist; the API answers 404 with <see cref="Exception.Message"/>.</summary>
public sealed class ResourceNotFoundException(string detail) : Exception(detail);
