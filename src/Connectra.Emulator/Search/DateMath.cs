using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Connectra.Emulator.Search;

/// <summary>
/// Elasticsearch's date parsing for range bounds and date terms (docs/connectra.md#range-query): ISO-8601 strings, epoch
/// millis, date math (<c>now-30d/d</c>, <c>2025-01-01||+1M</c>), <c>format</c> and <c>time_zone</c>. A bound that
/// rounds up (<c>gt</c>, <c>lte</c>) completes missing fields and rounds to the last millisecond of the unit.
/// </summary>
internal static partial class DateMath
{
    private const string DefaultFormat = "strict_date_optional_time||epoch_millis";

    public static long Parse(JsonElement value, bool roundUp, string? format, TimeZoneInfo zone, DateTimeOffset now)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            _ => throw Failure(value.GetRawText()),
        };
        return Parse(text, roundUp, format, zone, now);
    }

    public static long Parse(string text, bool roundUp, string? format, TimeZoneInfo zone, DateTimeOffset now)
    {
        string math;
        DateTimeOffset anchor;
        if (text.StartsWith("now", StringComparison.Ordinal))
        {
            anchor = now;
            math = text[3..];
        }
        else
        {
            var separator = text.IndexOf("||", StringComparison.Ordinal);
            var datePart = separator >= 0 ? text[..separator] : text;
            math = separator >= 0 ? text[(separator + 2)..] : "";
            // The date itself rounds up only when no math follows: math then decides the rounding.
            anchor = ParseDate(datePart, roundUp && math.Length == 0, format ?? DefaultFormat, zone);
        }

        return ApplyMath(anchor, math, roundUp, zone, text).ToUnixTimeMilliseconds();
    }

    public static TimeZoneInfo Zone(string? timeZone)
    {
        if (string.IsNullOrEmpty(timeZone) || timeZone is "Z" or "UTC")
        {
            return TimeZoneInfo.Utc;
        }

        if (OffsetPattern().Match(timeZone) is { Success: true } m)
        {
            var offset = new TimeSpan(int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
                m.Groups[3].Success ? int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) : 0, 0);
            return TimeZoneInfo.CreateCustomTimeZone(timeZone, m.Groups[1].Value == "-" ? -offset : offset, timeZone, timeZone);
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        }
        catch (TimeZoneNotFoundException)
        {
            throw ConnectraFailure.Search("illegal_argument_exception", $"Unknown time-zone ID: {timeZone}");
        }
    }

    private static DateTimeOffset ParseDate(string text, bool roundUp, string format, TimeZoneInfo zone)
    {
        foreach (var name in format.Split("||"))
        {
            if (TryParse(text, name.Trim(), roundUp, zone) is { } parsed)
            {
                return parsed;
            }
        }

        throw Failure(text, format);
    }

    private static DateTimeOffset? TryParse(string text, string format, bool roundUp, TimeZoneInfo zone)
    {
        switch (format)
        {
            case "epoch_millis":
                return EpochPattern().IsMatch(text)
                    ? DateTimeOffset.FromUnixTimeMilliseconds((long)decimal.Parse(text, CultureInfo.InvariantCulture))
                    : null;
            case "epoch_second":
                return EpochPattern().IsMatch(text)
                    ? DateTimeOffset.FromUnixTimeMilliseconds((long)(decimal.Parse(text, CultureInfo.InvariantCulture) * 1000))
                    : null;
            case "strict_date_optional_time" or "date_optional_time" or "strict_date_optional_time_nanos":
                return FromIso(IsoPattern().Match(text), roundUp, zone);
            case "strict_date" or "date" or "year_month_day" or "strict_year_month_day":
                return FromIso(DatePattern().Match(text), roundUp, zone);
            case "strict_date_time" or "date_time" or "strict_date_hour_minute_second" or "date_hour_minute_second":
                return FromIso(IsoPattern().Match(text), roundUp, zone);
            case "basic_date" or "yyyyMMdd":
                return FromIso(BasicDatePattern().Match(text), roundUp, zone);
            default:
                return FromIso(new Regex(PatternToRegex(format), RegexOptions.CultureInvariant).Match(text), roundUp, zone);
        }
    }

    /// <summary>Assembles a date from the named groups of a match, completing missing fields as start or end.</summary>
    private static DateTimeOffset? FromIso(Match m, bool roundUp, TimeZoneInfo zone)
    {
        if (!m.Success)
        {
            return null;
        }

        int Part(string name, int fallback) =>
            m.Groups[name].Success ? int.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture) : fallback;

        var year = Part("y", 1970);
        var month = Part("M", roundUp ? 12 : 1);
        if (month is < 1 or > 12)
        {
            return null;
        }

        var day = Part("d", roundUp ? DateTime.DaysInMonth(year, month) : 1);
        var hour = Part("H", roundUp ? 23 : 0);
        var minute = Part("m", roundUp ? 59 : 0);
        var second = Part("s", roundUp ? 59 : 0);
        if (day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return null;
        }

        var ticks = 0L;
        if (m.Groups["f"].Success)
        {
            var fraction = m.Groups["f"].Value.PadRight(7, '0')[..7];
            ticks = long.Parse(fraction, CultureInfo.InvariantCulture);
        }
        else if (roundUp)
        {
            ticks = TimeSpan.TicksPerSecond - TimeSpan.TicksPerMillisecond;
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(ticks);
        if (m.Groups["z"].Success)
        {
            var z = m.Groups["z"].Value;
            return new DateTimeOffset(local, z == "Z" ? TimeSpan.Zero : Zone(z).BaseUtcOffset);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static DateTimeOffset ApplyMath(DateTimeOffset anchor, string math, bool roundUp, TimeZoneInfo zone, string original)
    {
        var time = TimeZoneInfo.ConvertTime(anchor, zone);
        var i = 0;
        while (i < math.Length)
        {
            var op = math[i++];
            if (op == '/')
            {
                if (i >= math.Length)
                {
                    throw Failure(original);
                }

                time = Round(time, math[i++], roundUp, zone);
                continue;
            }

            if (op is not ('+' or '-'))
            {
                throw Failure(original);
            }

            var start = i;
            while (i < math.Length && char.IsAsciiDigit(math[i]))
            {
                i++;
            }

            var amount = i > start ? int.Parse(math[start..i], CultureInfo.InvariantCulture) : 1;
            if (i >= math.Length)
            {
                throw Failure(original);
            }

            var sign = op == '-' ? -1 : 1;
            time = math[i++] switch
            {
                'y' => time.AddYears(sign * amount),
                'M' => time.AddMonths(sign * amount),
                'w' => time.AddDays(7 * sign * amount),
                'd' => time.AddDays(sign * amount),
                'h' or 'H' => time.AddHours(sign * amount),
                'm' => time.AddMinutes(sign * amount),
                's' => time.AddSeconds(sign * amount),
                _ => throw Failure(original),
            };
        }

        return time;
    }

    private static DateTimeOffset Round(DateTimeOffset time, char unit, bool roundUp, TimeZoneInfo zone)
    {
        var t = time.DateTime;
        var (start, next) = unit switch
        {
            'y' => (new DateTime(t.Year, 1, 1), new DateTime(t.Year, 1, 1).AddYears(1)),
            'M' => (new DateTime(t.Year, t.Month, 1), new DateTime(t.Year, t.Month, 1).AddMonths(1)),
            'w' => (t.Date.AddDays(-(((int)t.DayOfWeek + 6) % 7)), t.Date.AddDays(7 - (((int)t.DayOfWeek + 6) % 7))),
            'd' => (t.Date, t.Date.AddDays(1)),
            'h' or 'H' => (t.Date.AddHours(t.Hour), t.Date.AddHours(t.Hour + 1)),
            'm' => (t.Date.AddHours(t.Hour).AddMinutes(t.Minute), t.Date.AddHours(t.Hour).AddMinutes(t.Minute + 1)),
            's' => (t.AddTicks(-(t.Ticks % TimeSpan.TicksPerSecond)), t.AddTicks(-(t.Ticks % TimeSpan.TicksPerSecond)).AddSeconds(1)),
            _ => throw Failure(unit.ToString()),
        };
        var chosen = roundUp ? next.AddMilliseconds(-1) : start;
        return new DateTimeOffset(chosen, zone.GetUtcOffset(chosen));
    }

    /// <summary>Java date patterns (yyyy, MM, dd, HH, mm, ss, SSS, quoted literals, Z/X) as a regular expression.</summary>
    private static string PatternToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            var run = 1;
            while (i + run < pattern.Length && pattern[i + run] == c)
            {
                run++;
            }

            if (c == '\'')
            {
                var end = pattern.IndexOf('\'', i + 1);
                if (end < 0)
                {
                    throw Failure(pattern);
                }

                regex.Append(Regex.Escape(pattern[(i + 1)..end]));
                i = end + 1;
                continue;
            }

            regex.Append(c switch
            {
                'y' or 'u' => $"(?<y>\\d{{{Math.Max(run, 4)}}})",
                'M' => run <= 2 ? $"(?<M>\\d{{{run},2}})" : throw Failure(pattern),
                'd' => $"(?<d>\\d{{{run},2}})",
                'H' => $"(?<H>\\d{{{run},2}})",
                'm' => $"(?<m>\\d{{{run},2}})",
                's' => $"(?<s>\\d{{{run},2}})",
                'S' => $"(?<f>\\d{{{run}}})",
                'Z' or 'X' or 'x' => "(?<z>Z|[+-]\\d{2}:?\\d{2})",
                _ when char.IsLetter(c) => throw Failure(pattern),
                _ => Regex.Escape(new string(c, run)),
            });
            i += run;
        }

        return regex.Append('$').ToString();
    }

    private static ConnectraFailure Failure(string text, string format = DefaultFormat) =>
        ConnectraFailure.Search("parse_exception", $"failed to parse date field [{text}] with format [{format}]");

    [GeneratedRegex(@"^-?\d+(\.\d+)?$")]
    private static partial Regex EpochPattern();

    [GeneratedRegex(@"^(?<y>\d{4})(?:-(?<M>\d{2})(?:-(?<d>\d{2})(?:T(?<H>\d{2})(?::(?<m>\d{2})(?::(?<s>\d{2})(?:[.,](?<f>\d{1,9}))?)?)?)?)?)?(?<z>Z|[+-]\d{2}(?::?\d{2})?)?$")]
    private static partial Regex IsoPattern();

    [GeneratedRegex(@"^(?<y>\d{4})-(?<M>\d{2})-(?<d>\d{2})$")]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"^(?<y>\d{4})(?<M>\d{2})(?<d>\d{2})$")]
    private static partial Regex BasicDatePattern();

    [GeneratedRegex(@"^([+-])(\d{2}):?(\d{2})?$")]
    private static partial Regex OffsetPattern();
}
