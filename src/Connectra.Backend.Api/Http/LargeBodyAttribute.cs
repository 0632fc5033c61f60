using Connectra.Backend.Application;

namespace Connectra.Backend.Api.Http;

/// <summary>
/// Marks a route that takes bulk input: its body may reach <see cref="RequestLimits.MaxLargeBodyBytes"/> instead of
/// <see cref="RequestLimits.MaxBodyBytes"/> (docs/operations.md#limits).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class LargeBodyAttribute : Attribute;
