using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;
using Connectra.Backend.Application.Reading;
using Connectra.Client;
using Connectra.Client.Records;

namespace Connectra.Backend.Application.Contacts;

/// <summary>
/// One contact of a query page, read straight from Connectra's answer (docs/api.md#contactlistitem): the list item's
/// values as UTF-8 bytes already cleaned and joined, written as JSON by <see cref="ContactListRowConverter"/> in
/// exactly the bytes <see cref="ContactListItem"/> serialises to. Made by <see cref="ContactPageReader"/>.
/// </summary>
[JsonConverter(typeof(ContactListRowConverter))]
public sealed class ContactListRow
{
    private readonly byte[] _values;
    private readonly int[] _spans;
    private readonly int[]? _cursorSpans;
    private IReadOnlyList<string>? _cursor;

    internal ContactListRow(byte[] values, int[] spans, int[]? cursorSpans, in ContactListRowNumbers numbers)
    {
        _values = values;
        _spans = spans;
        _cursorSpans = cursorSpans;
        Numbers = numbers;
    }

    internal ContactListRowNumbers Numbers { get; }

    /// <summary>The row's sort values as Connectra sent them (strings made only when asked: the page's first and last row).</summary>
    public IReadOnlyList<string>? Cursor => _cursorSpans is null ? null : _cursor ??= MakeCursor();

    /// <summary>The slot's value; empty when it is null (<see cref="HasText"/>).</summary>
    internal ReadOnlySpan<byte> Text(ContactListSlot slot)
    {
        var at = (int)slot * 2;
        return _spans[at + 1] < 0 ? [] : _values.AsSpan(_spans[at], _spans[at + 1]);
    }

    internal bool HasText(ContactListSlot slot) => _spans[((int)slot * 2) + 1] >= 0;

    private string[] MakeCursor()
    {
        var parts = new string[_cursorSpans!.Length / 2];
        for (var i = 0; i < parts.Length; i++)
        {
            var length = _cursorSpans[(i * 2) + 1];
            // A null sort value stays null, as the record reader keeps it.
            parts[i] = length < 0 ? null! : Encoding.UTF8.GetString(_values, _cursorSpans[i * 2], length);
        }

        return parts;
    }
}

/// <summary>The list item's numbers and times: null when unknown or when the row has no (live) company.</summary>
internal readonly record struct ContactListRowNumbers(
    long? Employees,
    long? AnnualRevenue,
    long? TotalFunding,
    long? LatestFundingAmount,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? UpdatedAt);

/// <summary>The text fields of a list item, each one value or null.</summary>
internal enum ContactListSlot
{
    Uuid,
    FirstName,
    LastName,
    Title,
    Company,
    CompanyNameForEmails,
    Email,
    EmailStatus,
    Seniority,
    Departments,
    WorkDirectPhone,
    HomePhone,
    MobilePhone,
    CorporatePhone,
    OtherPhone,
    Stage,
    Industry,
    Keywords,
    PersonLinkedinUrl,
    Website,
    CompanyLinkedinUrl,
    FacebookUrl,
    TwitterUrl,
    City,
    State,
    Country,
    CompanyAddress,
    CompanyCity,
    CompanyState,
    CompanyCountry,
    Technologies,
    LatestFunding,
    LastRaisedAt,
}

/// <summary>
/// Writes a <see cref="ContactListRow"/> as the 42 members of <see cref="ContactListItem"/>, in its order, with its
/// names, nulls written. Times go through the options' own <see cref="DateTimeOffset"/> converter, as the item's do.
/// </summary>
public sealed class ContactListRowConverter : JsonConverter<ContactListRow>
{
    private static readonly JsonEncodedText LatestFundingAmountName = JsonEncodedText.Encode("latest_funding_amount");

    /// <summary>Every member in the item's order: a text slot, or one of the numbers (slot -1 and a name).</summary>
    private static readonly (JsonEncodedText Name, int Slot, Member Member)[] Members =
    [
        Text("uuid", ContactListSlot.Uuid),
        Text("first_name", ContactListSlot.FirstName),
        Text("last_name", ContactListSlot.LastName),
        Text("title", ContactListSlot.Title),
        Text("company", ContactListSlot.Company),
        Text("company_name_for_emails", ContactListSlot.CompanyNameForEmails),
        Text("email", ContactListSlot.Email),
        Text("email_status", ContactListSlot.EmailStatus),
        Other("primary_email_catch_all_status", Member.AlwaysNull),
        Text("seniority", ContactListSlot.Seniority),
        Text("departments", ContactListSlot.Departments),
        Text("work_direct_phone", ContactListSlot.WorkDirectPhone),
        Text("home_phone", ContactListSlot.HomePhone),
        Text("mobile_phone", ContactListSlot.MobilePhone),
        Text("corporate_phone", ContactListSlot.CorporatePhone),
        Text("other_phone", ContactListSlot.OtherPhone),
        Text("stage", ContactListSlot.Stage),
        Other("employees", Member.Employees),
        Text("industry", ContactListSlot.Industry),
        Text("keywords", ContactListSlot.Keywords),
        Text("person_linkedin_url", ContactListSlot.PersonLinkedinUrl),
        Text("website", ContactListSlot.Website),
        Text("company_linkedin_url", ContactListSlot.CompanyLinkedinUrl),
        Text("facebook_url", ContactListSlot.FacebookUrl),
        Text("twitter_url", ContactListSlot.TwitterUrl),
        Text("city", ContactListSlot.City),
        Text("state", ContactListSlot.State),
        Text("country", ContactListSlot.Country),
        Text("company_address", ContactListSlot.CompanyAddress),
        Text("company_city", ContactListSlot.CompanyCity),
        Text("company_state", ContactListSlot.CompanyState),
        Text("company_country", ContactListSlot.CompanyCountry),
        Text("company_phone", ContactListSlot.CorporatePhone),
        Text("technologies", ContactListSlot.Technologies),
        Other("annual_revenue", Member.AnnualRevenue),
        Other("total_funding", Member.TotalFunding),
        Text("latest_funding", ContactListSlot.LatestFunding),
        Other("latest_funding_amount", Member.LatestFundingAmount),
        Text("last_raised_at", ContactListSlot.LastRaisedAt),
        Other("meta_data", Member.MetaData),
        Other("created_at", Member.CreatedAt),
        Other("updated_at", Member.UpdatedAt),
    ];

    public override ContactListRow Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("A contact list row is only ever written.");

    public override void Write(Utf8JsonWriter writer, ContactListRow value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        var numbers = value.Numbers;
        writer.WriteStartObject();
        foreach (var (name, slot, member) in Members)
        {
            switch (member)
            {
                case Member.Text when value.HasText((ContactListSlot)slot):
                    writer.WriteString(name, value.Text((ContactListSlot)slot));
                    break;
                case Member.Employees when numbers.Employees is { } employees:
                    writer.WriteNumber(name, employees);
                    break;
                case Member.AnnualRevenue when numbers.AnnualRevenue is { } revenue:
                    writer.WriteNumber(name, revenue);
                    break;
                case Member.TotalFunding when numbers.TotalFunding is { } funding:
                    writer.WriteNumber(name, funding);
                    break;
                case Member.LatestFundingAmount when numbers.LatestFundingAmount is { } amount:
                    writer.WriteNumber(name, amount);
                    break;
                case Member.MetaData when numbers.LatestFundingAmount is { } amount:
                    WriteMetaData(writer, name, amount);
                    break;
                case Member.CreatedAt when numbers.CreatedAt is { } created:
                    writer.WritePropertyName(name);
                    Time(options).Write(writer, created, options);
                    break;
                case Member.UpdatedAt when numbers.UpdatedAt is { } updated:
                    writer.WritePropertyName(name);
                    Time(options).Write(writer, updated, options);
                    break;
                default:
                    writer.WriteNull(name);
                    break;
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>The legacy <c>{"latest_funding_amount": "…"}</c> object: the amount's digits as a string.</summary>
    private static void WriteMetaData(Utf8JsonWriter writer, JsonEncodedText name, long amount)
    {
        Span<byte> digits = stackalloc byte[24];
        Utf8Formatter.TryFormat(amount, digits, out var written);
        writer.WriteStartObject(name);
        writer.WriteString(LatestFundingAmountName, digits[..written]);
        writer.WriteEndObject();
    }

    private static JsonConverter<DateTimeOffset> Time(JsonSerializerOptions options) =>
        (JsonConverter<DateTimeOffset>)options.GetConverter(typeof(DateTimeOffset));

    private static (JsonEncodedText, int, Member) Text(string name, ContactListSlot slot) => (JsonEncodedText.Encode(name), (int)slot, Member.Text);

    private static (JsonEncodedText, int, Member) Other(string name, Member member) => (JsonEncodedText.Encode(name), -1, member);

    private enum Member
    {
        Text,
        AlwaysNull,
        Employees,
        AnnualRevenue,
        TotalFunding,
        LatestFundingAmount,
        MetaData,
        CreatedAt,
        UpdatedAt,
    }
}

/// <summary>
/// Reads one body of Connectra's contact search straight into <see cref="ContactListRow"/>s: a
/// <see cref="Utf8JsonReader"/> walk with no record objects and no string per field (docs/benchmarks.md#query-path).
/// <para>
/// It refuses what the record reader (the client's source-generated JSON, then <see cref="ConnectraAnswers.Rows{T}"/>)
/// refuses, for the same reasons: JSON that is not well-formed, a member of a contact or its company whose JSON type
/// does not fit the record's (every member the record has is checked, read or not), an envelope without
/// <c>success: true</c> or without a <c>data</c> list, a row that is not an object with its uuid. Member names match
/// without regard to case, escaped or not; of a repeated member the last counts. Every refusal is a
/// <see cref="ConnectraContractException"/>: Connectra is then reported unavailable, never as an empty page.
/// </para>
/// </summary>
public static class ContactPageReader
{
    private static readonly Shape ContactShape = Shape.Of(ConnectraJsonContext.Default.ConnectraContact);
    private static readonly Shape CompanyShape = Shape.Of(ConnectraJsonContext.Default.ConnectraCompany);

    private static readonly (ContactListSlot Slot, bool FromCompany, int Field)[] TextSlots =
    [
        (ContactListSlot.Uuid, false, ContactShape["uuid"]),
        (ContactListSlot.FirstName, false, ContactShape["first_name"]),
        (ContactListSlot.LastName, false, ContactShape["last_name"]),
        (ContactListSlot.Title, false, ContactShape["title"]),
        (ContactListSlot.Company, true, CompanyShape["name"]),
        (ContactListSlot.CompanyNameForEmails, true, CompanyShape["company_name_for_emails"]),
        (ContactListSlot.Email, false, ContactShape["email"]),
        (ContactListSlot.EmailStatus, false, ContactShape["email_status"]),
        (ContactListSlot.Seniority, false, ContactShape["seniority"]),
        (ContactListSlot.Departments, false, ContactShape["departments"]),
        (ContactListSlot.WorkDirectPhone, false, ContactShape["work_direct_phone"]),
        (ContactListSlot.HomePhone, false, ContactShape["home_phone"]),
        (ContactListSlot.MobilePhone, false, ContactShape["mobile_phone"]),
        (ContactListSlot.CorporatePhone, true, CompanyShape["phone_number"]),
        (ContactListSlot.OtherPhone, false, ContactShape["other_phone"]),
        (ContactListSlot.Stage, false, ContactShape["stage"]),
        (ContactListSlot.Industry, true, CompanyShape["industries"]),
        (ContactListSlot.Keywords, true, CompanyShape["keywords"]),
        (ContactListSlot.PersonLinkedinUrl, false, ContactShape["linkedin_url"]),
        (ContactListSlot.Website, false, ContactShape["website"]),
        (ContactListSlot.CompanyLinkedinUrl, true, CompanyShape["linkedin_url"]),
        (ContactListSlot.FacebookUrl, false, ContactShape["facebook_url"]),
        (ContactListSlot.TwitterUrl, false, ContactShape["twitter_url"]),
        (ContactListSlot.City, false, ContactShape["city"]),
        (ContactListSlot.State, false, ContactShape["state"]),
        (ContactListSlot.Country, false, ContactShape["country"]),
        (ContactListSlot.CompanyAddress, true, CompanyShape["address"]),
        (ContactListSlot.CompanyCity, true, CompanyShape["city"]),
        (ContactListSlot.CompanyState, true, CompanyShape["state"]),
        (ContactListSlot.CompanyCountry, true, CompanyShape["country"]),
        (ContactListSlot.Technologies, true, CompanyShape["technologies"]),
        (ContactListSlot.LatestFunding, true, CompanyShape["latest_funding"]),
        (ContactListSlot.LastRaisedAt, true, CompanyShape["last_raised_at"]),
    ];

    private static readonly int SlotCount = Enum.GetValues<ContactListSlot>().Length;
    private static readonly bool Marked = MarkKept();
    private static readonly int UuidField = ContactShape["uuid"];
    private static readonly int CompanyField = ContactShape["company"];
    private static readonly int CursorField = ContactShape["cursor"];
    private static readonly int CreatedField = ContactShape["created_at"];
    private static readonly int UpdatedField = ContactShape["updated_at"];
    private static readonly int TombstoneField = CompanyShape[Tombstones.CompanyField];
    private static readonly int EmployeesField = CompanyShape["employees_count"];
    private static readonly int RevenueField = CompanyShape["annual_revenue"];
    private static readonly int FundingField = CompanyShape["total_funding"];
    private static readonly int AmountField = CompanyShape["latest_funding_amount"];

    /// <summary>The text members a row serves, and the company's tombstone marker, keep their values.</summary>
    private static bool MarkKept()
    {
        foreach (var (_, fromCompany, field) in TextSlots)
        {
            (fromCompany ? CompanyShape : ContactShape).Kept[field] = true;
        }

        CompanyShape.Kept[CompanyShape[Tombstones.CompanyField]] = true;
        return true;
    }

    /// <summary>The rows of one answer body, in Connectra's order. Throws <see cref="ConnectraContractException"/> for a broken answer.</summary>
    public static IReadOnlyList<ContactListRow> Read(ReadOnlyMemory<byte> body)
    {
        Debug.Assert(Marked);
        var state = new State();
        try
        {
            return state.ReadEnvelope(body.Span);
        }
        catch (Exception unreadable) when (unreadable is JsonException or InvalidOperationException or FormatException)
        {
            throw new ConnectraContractException("the search answer is not well-formed JSON");
        }
        finally
        {
            state.Release();
        }
    }

    /// <summary>What one record type's members are: their names as JSON writes them and the JSON type each takes.</summary>
    private sealed class Shape
    {
        private readonly Dictionary<string, int> _byName = new(StringComparer.OrdinalIgnoreCase);
        private readonly byte[][] _utf8;
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

        private Shape(IEnumerable<(string Name, Kind Kind)> members)
        {
            var list = members.ToList();
            Kinds = [.. list.Select(m => m.Kind)];
            Kept = new bool[list.Count];
            _utf8 = [.. list.Select(m => Encoding.UTF8.GetBytes(m.Name))];
            for (var i = 0; i < list.Count; i++)
            {
                _byName[list[i].Name] = i;
            }

            _lookup = _byName.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public Kind[] Kinds { get; }

        /// <summary>The text members whose values a row keeps (set once, before the first read); the rest are only checked.</summary>
        public bool[] Kept { get; }

        public int Count => Kinds.Length;

        public int this[string name] => _byName[name];

        /// <summary>The members of a record as its source-generated metadata declares them.</summary>
        public static Shape Of(JsonTypeInfo type) => new(type.Properties.Select(p => (p.Name, KindOf(p.PropertyType))));

        private static Kind KindOf(Type type) =>
            type == typeof(string) ? Kind.Text
            : type == typeof(long?) || type == typeof(long) ? Kind.Number
            : type == typeof(DateTimeOffset?) || type == typeof(DateTimeOffset) ? Kind.Time
            : type == typeof(IReadOnlyList<string>) ? Kind.List
            : type == typeof(ConnectraCompany) ? Kind.Company
            : throw new NotSupportedException($"A record member of type {type} has no raw reading.");

        /// <summary>The member the current property name stands for, or -1: as written first, else decoded and without regard to case.</summary>
        public int Find(ref Utf8JsonReader reader)
        {
            var raw = reader.ValueSpan;
            if (!reader.ValueIsEscaped)
            {
                for (var i = 0; i < _utf8.Length; i++)
                {
                    if (raw.SequenceEqual(_utf8[i]))
                    {
                        return i;
                    }
                }
            }

            if (raw.Length > 256)
            {
                return -1;
            }

            Span<byte> utf8 = stackalloc byte[256];
            var length = reader.CopyString(utf8);
            Span<char> name = stackalloc char[256];
            var chars = Encoding.UTF8.GetChars(utf8[..length], name);
            return _lookup.TryGetValue(name[..chars], out var field) ? field : -1;
        }
    }

    private enum Kind : byte
    {
        Text,
        Number,
        Time,
        List,
        Company,
    }

    /// <summary>One object's members as read: present or not, and where the value lies (or its number or time).</summary>
    private sealed class Members(int count)
    {
        public readonly bool[] Present = new bool[count];
        public readonly int[] Start = new int[count];
        public readonly int[] Length = new int[count];
        public readonly long[] Number = new long[count];
        public readonly DateTimeOffset[] Time = new DateTimeOffset[count];

        public void Clear() => Array.Clear(Present);
    }

    private sealed class State
    {
        private readonly Members _row = new(ContactShape.Count);
        private readonly Members _company = new(CompanyShape.Count);
        private readonly List<(ContactListRowNumbers Numbers, int[] Spans, int[]? Cursor)> _rows = [];
        private readonly List<int> _cursor = [];
        private byte[] _values = ArrayPool<byte>.Shared.Rent(1 << 15);
        private int _used;

        public void Release()
        {
            ArrayPool<byte>.Shared.Return(_values);
            _values = [];
        }

        public ContactListRow[] ReadEnvelope(ReadOnlySpan<byte> body)
        {
            var reader = new Utf8JsonReader(body, isFinalBlock: true, default);
            if (!reader.Read() || reader.TokenType == JsonTokenType.Null)
            {
                EndOfDocument(ref reader);
                throw new ConnectraContractException("the answer was empty");
            }

            Expect(ref reader, JsonTokenType.StartObject);
            bool? success = null;
            var data = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = EnvelopeMember(ref reader);
                reader.Read();
                switch (name)
                {
                    case 1 when reader.TokenType == JsonTokenType.Null:
                        data = false;
                        _rows.Clear();
                        break;
                    case 1:
                        Expect(ref reader, JsonTokenType.StartArray);
                        _rows.Clear();
                        ReadRows(ref reader);
                        data = true;
                        break;
                    case 2:
                        success = reader.TokenType switch
                        {
                            JsonTokenType.True => true,
                            JsonTokenType.False => false,
                            JsonTokenType.Null => null,
                            _ => throw new JsonException("success is not a boolean"),
                        };
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            EndOfDocument(ref reader);
            if (success is not true)
            {
                throw new ConnectraContractException("the answer does not say success: true");
            }

            if (!data)
            {
                throw new ConnectraContractException("the search answer has no data list");
            }

            for (var i = 0; i < _rows.Count; i++)
            {
                if (_rows[i].Spans.Length == 0)
                {
                    throw new ConnectraContractException($"search row {i} has no uuid");
                }
            }

            var values = _values.AsSpan(0, _used).ToArray();
            var rows = new ContactListRow[_rows.Count];
            for (var i = 0; i < rows.Length; i++)
            {
                rows[i] = new ContactListRow(values, _rows[i].Spans, _rows[i].Cursor, _rows[i].Numbers);
            }

            return rows;
        }

        /// <summary>After the answer's value nothing may follow (the reader itself refuses what is not JSON).</summary>
        private static void EndOfDocument(ref Utf8JsonReader reader)
        {
            if (reader.Read())
            {
                throw new JsonException("the answer goes on after its value");
            }
        }

        /// <summary>1 for data, 2 for success, 0 for any other member of the envelope.</summary>
        private static int EnvelopeMember(ref Utf8JsonReader reader)
        {
            if (!reader.ValueIsEscaped)
            {
                if (reader.ValueSpan.SequenceEqual("data"u8))
                {
                    return 1;
                }

                if (reader.ValueSpan.SequenceEqual("success"u8))
                {
                    return 2;
                }
            }

            if (reader.ValueSpan.Length > 64)
            {
                return 0;
            }

            Span<byte> name = stackalloc byte[64];
            var length = reader.CopyString(name);
            Span<char> chars = stackalloc char[64];
            var count = Encoding.UTF8.GetChars(name[..length], chars);
            return chars[..count].Equals("data", StringComparison.OrdinalIgnoreCase) ? 1
                : chars[..count].Equals("success", StringComparison.OrdinalIgnoreCase) ? 2
                : 0;
        }

        private void ReadRows(ref Utf8JsonReader reader)
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.Null)
                {
                    // A null row has no uuid: refused once the whole answer is known to be JSON, as the record reader does.
                    _rows.Add((default, [], null));
                    continue;
                }

                Expect(ref reader, JsonTokenType.StartObject);
                _cursor.Clear();
                var cursorSeen = false;
                ReadObject(ref reader, ContactShape, _row, ref cursorSeen);
                _rows.Add(MakeRow(cursorSeen));
            }
        }

        private (ContactListRowNumbers, int[], int[]?) MakeRow(bool cursorSeen)
        {
            if (!_row.Present[UuidField] || _row.Length[UuidField] == 0)
            {
                return (default, [], null);
            }

            // A contact's company that was deleted is a tombstone: the row then has no company, as Tombstones has it.
            var company = _row.Present[CompanyField]
                && !(_company.Present[TombstoneField]
                    && _values.AsSpan(_company.Start[TombstoneField], _company.Length[TombstoneField]).SequenceEqual(Tombstones.MarkerUtf8));
            var spans = new int[SlotCount * 2];
            foreach (var (slot, fromCompany, field) in TextSlots)
            {
                var members = fromCompany ? _company : _row;
                var at = (int)slot * 2;
                // The uuid is served as it is (it is never empty here); every other text is cleaned.
                if ((fromCompany && !company) || !members.Present[field] || (slot != ContactListSlot.Uuid && IsUnknown(members, field)))
                {
                    spans[at + 1] = -1;
                    continue;
                }

                spans[at] = members.Start[field];
                spans[at + 1] = members.Length[field];
            }

            var numbers = new ContactListRowNumbers(
                company ? NumberOf(_company, EmployeesField) : null,
                company ? NumberOf(_company, RevenueField) : null,
                company ? NumberOf(_company, FundingField) : null,
                company ? NumberOf(_company, AmountField) : null,
                _row.Present[CreatedField] ? _row.Time[CreatedField] : null,
                _row.Present[UpdatedField] ? _row.Time[UpdatedField] : null);
            return (numbers, spans, _row.Present[CursorField] && cursorSeen ? [.. _cursor] : null);
        }

        private static long? NumberOf(Members members, int field) => members.Present[field] ? members.Number[field] : null;

        /// <summary>Empty, or the original data's "_": both null in the API (<c>Values.Clean</c>).</summary>
        private bool IsUnknown(Members members, int field) =>
            members.Length[field] == 0 || (members.Length[field] == 1 && _values[members.Start[field]] == (byte)'_');

        private void ReadObject(ref Utf8JsonReader reader, Shape shape, Members members, ref bool cursorSeen)
        {
            members.Clear();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = shape.Find(ref reader);
                reader.Read();
                if (field < 0)
                {
                    reader.Skip();
                    continue;
                }

                if (reader.TokenType == JsonTokenType.Null)
                {
                    members.Present[field] = false;
                    if (field == CursorField && members == _row)
                    {
                        cursorSeen = false;
                    }

                    continue;
                }

                var start = _used;
                switch (shape.Kinds[field])
                {
                    case Kind.Text:
                        Expect(ref reader, JsonTokenType.String);
                        AppendString(ref reader);
                        if (!shape.Kept[field])
                        {
                            // Checked, never served: its bytes need not stay.
                            _used = start;
                        }

                        break;
                    case Kind.Number:
                        members.Number[field] = ReadNumber(ref reader);
                        break;
                    case Kind.Time:
                        Expect(ref reader, JsonTokenType.String);
                        members.Time[field] = reader.GetDateTimeOffset();
                        break;
                    case Kind.List when field == CursorField && members == _row:
                        ReadCursor(ref reader);
                        cursorSeen = true;
                        break;
                    case Kind.List:
                        ReadJoined(ref reader);
                        break;
                    case Kind.Company:
                        Expect(ref reader, JsonTokenType.StartObject);
                        var ignored = false;
                        ReadObject(ref reader, CompanyShape, _company, ref ignored);
                        break;
                }

                members.Present[field] = true;
                members.Start[field] = start;
                members.Length[field] = _used - start;
            }
        }

        /// <summary>A list of strings (nulls allowed) as one ", "-joined value of the items that are known (<c>Values.Join</c>).</summary>
        private void ReadJoined(ref Utf8JsonReader reader)
        {
            Expect(ref reader, JsonTokenType.StartArray);
            var start = _used;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                Expect(ref reader, JsonTokenType.String);
                var before = _used;
                if (before > start)
                {
                    Append(", "u8);
                }

                var item = _used;
                AppendString(ref reader);
                var length = _used - item;
                if (length == 0 || (length == 1 && _values[item] == (byte)'_'))
                {
                    _used = before;
                }
            }
        }

        /// <summary>The sort values: strings, or null kept as null (as the record reader keeps them).</summary>
        private void ReadCursor(ref Utf8JsonReader reader)
        {
            Expect(ref reader, JsonTokenType.StartArray);
            _cursor.Clear();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.Null)
                {
                    _cursor.Add(0);
                    _cursor.Add(-1);
                    continue;
                }

                Expect(ref reader, JsonTokenType.String);
                var start = _used;
                AppendString(ref reader);
                _cursor.Add(start);
                _cursor.Add(_used - start);
            }
        }

        /// <summary>A JSON integer or, as the record reader also takes it, a string of one.</summary>
        private long ReadNumber(ref Utf8JsonReader reader)
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                return reader.GetInt64();
            }

            Expect(ref reader, JsonTokenType.String);
            var start = _used;
            AppendString(ref reader);
            var digits = _values.AsSpan(start, _used - start);
            _used = start;
            return Utf8Parser.TryParse(digits, out long value, out var consumed) && consumed == digits.Length
                ? value
                : throw new JsonException("not a 64-bit integer");
        }

        private void AppendString(ref Utf8JsonReader reader)
        {
            var raw = reader.ValueSpan;
            Ensure(raw.Length);
            if (reader.ValueIsEscaped)
            {
                _used += reader.CopyString(_values.AsSpan(_used));
                return;
            }

            if (!Utf8.IsValid(raw))
            {
                throw new JsonException("a string is not valid UTF-8");
            }

            raw.CopyTo(_values.AsSpan(_used));
            _used += raw.Length;
        }

        private void Append(ReadOnlySpan<byte> bytes)
        {
            Ensure(bytes.Length);
            bytes.CopyTo(_values.AsSpan(_used));
            _used += bytes.Length;
        }

        private void Ensure(int more)
        {
            if (_values.Length - _used >= more)
            {
                return;
            }

            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_values.Length * 2, _used + more));
            _values.AsSpan(0, _used).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_values);
            _values = larger;
        }

        private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
        {
            if (reader.TokenType != type)
            {
                throw new JsonException($"a {type} was expected, not {reader.TokenType}");
            }
        }
    }
}
