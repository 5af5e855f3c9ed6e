namespace RecordKv.Nats.KeyValue;

/// <summary>Validates bucket names, keys and watch filters per ADR-8.</summary>
public static class NatsKvNames
{
    /// <summary>Whether <paramref name="bucket"/> is a valid bucket name: one or more of <c>[A-Za-z0-9_-]</c>.</summary>
    public static bool IsValidBucketName(string? bucket)
    {
        if (string.IsNullOrEmpty(bucket))
        {
            return false;
        }

        foreach (var c in bucket)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="key"/> is a valid key: <c>[-/_=.A-Za-z0-9]+</c>, not starting or ending with a dot, and (stricter than ADR-8, because the subject would be invalid) no empty token.</summary>
    public static bool IsValidKey(string? key) => IsValid(key, allowWildcards: false);

    /// <summary>Whether <paramref name="filter"/> is a valid watch/keys filter: a key whose tokens may also be <c>*</c>, and whose last token may be <c>&gt;</c>.</summary>
    public static bool IsValidKeyFilter(string? filter) => IsValid(filter, allowWildcards: true);

    private static bool IsValid(string? key, bool allowWildcards)
    {
        if (string.IsNullOrEmpty(key))
        {
            return false;
        }

        var tokenStart = 0;
        for (var i = 0; i <= key.Length; i++)
        {
            if (i < key.Length && key[i] != '.')
            {
                continue;
            }

            var token = key.AsSpan(tokenStart, i - tokenStart);
            if (!IsValidToken(token, allowWildcards, isLast: i == key.Length))
            {
                return false;
            }

            tokenStart = i + 1;
        }

        return true;
    }

    private static bool IsValidToken(ReadOnlySpan<char> token, bool allowWildcards, bool isLast)
    {
        if (token.IsEmpty)
        {
            return false;
        }

        if (allowWildcards && token.Length == 1 && (token[0] == '*' || (token[0] == '>' && isLast)))
        {
            return true;
        }

        foreach (var c in token)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '/' or '_' or '='))
            {
                return false;
            }
        }

        return true;
    }
}
