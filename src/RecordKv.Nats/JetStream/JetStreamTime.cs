using System.Globalization;

namespace RecordKv.Nats.JetStream;

/// <summary>Parses the RFC 3339 timestamps with nanoseconds the server writes into headers.</summary>
internal static class JetStreamTime
{
    public static DateTimeOffset ParseOrDefault(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return default;
        }

        // DateTimeOffset parses at most 7 fractional digits; the server writes up to 9.
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            if (end - dot - 1 > 7)
            {
                text = string.Concat(text.AsSpan(0, dot + 8), text.AsSpan(end));
            }
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : default;
    }
}
