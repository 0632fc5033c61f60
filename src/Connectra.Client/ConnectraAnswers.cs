using Connectra.Client.Filters;
using Connectra.Client.Records;

namespace Connectra.Client;

/// <summary>
/// What counts as an answer, route by route (docs/connectra.md#what-counts-as-an-answer). An answer that breaks the
/// contract throws <see cref="ConnectraContractException"/>: it is an upstream failure, never an empty result.
/// </summary>
public static class ConnectraAnswers
{
    /// <summary>
    /// Search rows: an envelope whose <c>data</c> is a list (Connectra answers <c>[]</c> when nothing matches, so null
    /// is a broken answer here), and every row an object with its uuid (always selected).
    /// </summary>
    public static IReadOnlyList<T> Rows<T>(ConnectraList<T>? answer)
        where T : class, IConnectraRecord
    {
        var data = Envelope(answer).Data ?? throw new ConnectraContractException("the search answer has no data list");
        for (var i = 0; i < data.Count; i++)
        {
            if (data[i] is not { Uuid.Length: > 0 })
            {
                throw new ConnectraContractException($"search row {i} has no uuid");
            }
        }

        return data;
    }

    /// <summary>A write's acknowledgement: it must say success: true (though Connectra's upserts say so even when they wrote nothing).</summary>
    public static bool Ack(ConnectraAck? answer) =>
        answer is { Success: true } ? true : throw new ConnectraContractException("the write answer does not say success: true");

    /// <summary>An exact count: present and not negative.</summary>
    public static long Count(ConnectraCount? answer)
    {
        if (answer is null)
        {
            throw new ConnectraContractException("the count answer was empty");
        }

        if (answer.Success is not true)
        {
            throw new ConnectraContractException("the count answer does not say success: true");
        }

        return answer.Count is >= 0 and var count ? count : throw new ConnectraContractException("the count answer has no count");
    }

    /// <summary>
    /// The filter catalogue: <c>"data": null</c> is Connectra's way of saying it has no filters (a Go nil slice);
    /// every entry needs its key.
    /// </summary>
    public static IReadOnlyList<ConnectraFilter> Filters(ConnectraList<ConnectraFilter>? answer) =>
        Items(answer, filter => filter.Key is { Length: > 0 }, "a filter without a key");

    /// <summary>Filter values: <c>"data": null</c> means none; every entry is an object.</summary>
    public static IReadOnlyList<ConnectraFilterValue> FilterValues(ConnectraList<ConnectraFilterValue>? answer) =>
        Items(answer, _ => true, "a null value");

    private static IReadOnlyList<T> Items<T>(ConnectraList<T>? answer, Func<T, bool> valid, string what)
        where T : class
    {
        var data = Envelope(answer).Data ?? [];
        for (var i = 0; i < data.Count; i++)
        {
            if (data[i] is not { } item || !valid(item))
            {
                throw new ConnectraContractException($"entry {i} is {what}");
            }
        }

        return data;
    }

    /// <summary>Connectra's handlers always say <c>"success": true</c> beside their data; <c>{}</c> is no answer.</summary>
    private static ConnectraList<T> Envelope<T>(ConnectraList<T>? answer) => answer switch
    {
        null => throw new ConnectraContractException("the answer was empty"),
        { Success: not true } => throw new ConnectraContractException("the answer does not say success: true"),
        _ => answer,
    };
}
