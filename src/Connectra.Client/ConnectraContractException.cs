namespace Connectra.Client;

/// <summary>
/// Connectra answered, but not as its contract says (docs/connectra.md#what-counts-as-an-answer): an empty or
/// oversized body, a missing envelope member, a record without its key. Never read as an empty result.
/// </summary>
public sealed class ConnectraContractException(string breach) : Exception($"Connectra's answer broke the contract: {breach}");
