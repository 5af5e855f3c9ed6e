using System.Numerics;

namespace RecordKv.Atproto.Syntax;

/// <summary>A BCP 47 language tag (atproto.com/specs/lexicon#language; RFC 5646), e.g. <c>pt-BR</c>.</summary>
/// <remarks>Lexicon requires tags to be well-formed (<see cref="IsWellFormed(ReadOnlySpan{char})"/>); parsing is stricter and
/// also refuses what RFC 5646 §2.2.9 makes invalid without a registry lookup: a repeated variant, a repeated extension
/// singleton, and a reserved 4-letter primary language. Tags are case-insensitive (RFC 5646 §2.1.1), so <c>JA</c> is
/// accepted like <c>ja</c>; the value keeps the case it was given and equality is ordinal on it.</remarks>
public readonly partial record struct Language
{
    /// <summary>The longest tag accepted, in characters (RFC 5646 asks implementations to handle at least 35).</summary>
    public const int MaxLength = 128;

    private const int MaxSubtagLength = 8;
    private const int MaxVariants = 32;

    // RFC 5646 §2.2.8: grandfathered tags that do not fit the grammar; the "regular" ones (zh-hakka, ...) already do.
    private static readonly string[] IrregularGrandfathered =
    [
        "en-GB-oed", "i-ami", "i-bnn", "i-default", "i-enochian", "i-hak", "i-klingon", "i-lux", "i-mingo",
        "i-navajo", "i-pwn", "i-tao", "i-tay", "i-tsu", "sgn-BE-FR", "sgn-BE-NL", "sgn-CH-DE",
    ];

    private readonly string? _value;

    private Language(string value) => _value = value;

    /// <summary>The tag as given.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>The primary language subtag, e.g. <c>pt</c> for <c>pt-BR</c>.</summary>
    public ReadOnlySpan<char> Primary
    {
        get
        {
            var value = Value.AsSpan();
            var dash = value.IndexOf('-');
            return dash < 0 ? value : value[..dash];
        }
    }

    /// <summary>Whether the text is a well-formed tag per the RFC 5646 grammar (what Lexicon validation requires).</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> text) => Check(text, strict: false) is null;

    /// <summary>Whether the UTF-8 bytes are a well-formed tag per the RFC 5646 grammar.</summary>
    public static bool IsWellFormed(ReadOnlySpan<byte> utf8) => Check(utf8, strict: false) is null;

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <summary>Returns null when <paramref name="text"/> parses strictly, otherwise what is wrong.</summary>
    internal static string? Check<T>(ReadOnlySpan<T> text)
        where T : unmanaged, IBinaryInteger<T> => Check(text, strict: true);

    private static string? Check<T>(ReadOnlySpan<T> text, bool strict)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (text.IsEmpty)
        {
            return "is empty";
        }

        if (text.Length > MaxLength)
        {
            return "longer than 128 characters";
        }

        var subtagLength = 0;
        foreach (var unit in text)
        {
            var c = SyntaxChars.Code(unit);
            if (c == '-')
            {
                if (subtagLength == 0)
                {
                    return "has an empty subtag (a leading, trailing or doubled '-')";
                }

                subtagLength = 0;
            }
            else if (!SyntaxChars.IsLetterOrDigit(c))
            {
                return "may contain only ASCII letters, digits and '-'";
            }
            else if (++subtagLength > MaxSubtagLength)
            {
                return "has a subtag longer than 8 characters";
            }
        }

        if (subtagLength == 0)
        {
            return "has an empty subtag (a leading, trailing or doubled '-')";
        }

        foreach (var irregular in IrregularGrandfathered)
        {
            if (EqualsIgnoreCase(text, irregular))
            {
                return null;
            }
        }

        var position = 0;
        var subtag = NextSubtag(text, ref position);
        if (IsSingleton(subtag, 'x'))
        {
            return CheckPrivateUse(text, ref position) ?? (position == text.Length ? null : "unexpected subtag after private use");
        }

        if (!AllLetters(subtag) || subtag.Length < 2)
        {
            return "primary language subtag must be 2-8 letters";
        }

        if (strict && subtag.Length == 4)
        {
            return "4-letter primary language subtags are reserved (RFC 5646 §2.2.1)";
        }

        var next = Peek(text, position);
        if (subtag.Length <= 3)
        {
            for (var extlangs = 0; extlangs < 3 && next.Length == 3 && AllLetters(next); extlangs++)
            {
                NextSubtag(text, ref position);
                next = Peek(text, position);
            }
        }

        if (next.Length == 4 && AllLetters(next))
        {
            NextSubtag(text, ref position);
            next = Peek(text, position);
        }

        if ((next.Length == 2 && AllLetters(next)) || (next.Length == 3 && AllDigits(next)))
        {
            NextSubtag(text, ref position);
            next = Peek(text, position);
        }

        Span<int> variantStarts = stackalloc int[MaxVariants];
        var variants = 0;
        while (next.Length >= 5 || (next.Length == 4 && SyntaxChars.IsDigit(SyntaxChars.Code(next[0]))))
        {
            if (strict)
            {
                for (var earlier = 0; earlier < variants; earlier++)
                {
                    var previousStart = variantStarts[earlier];
                    if (EqualsIgnoreCase(next, Peek(text, previousStart)))
                    {
                        return "repeats a variant subtag (RFC 5646 §2.2.5)";
                    }
                }
            }

            if (variants < MaxVariants)
            {
                variantStarts[variants++] = position;
            }

            NextSubtag(text, ref position);
            next = Peek(text, position);
        }

        var singletonsSeen = 0UL;
        while (next.Length == 1 && !IsSingleton(next, 'x'))
        {
            var c = SyntaxChars.Code(next[0]) | 0x20;
            var bit = 1UL << (SyntaxChars.IsDigit(c) ? c - '0' : c - 'a' + 10);
            if (strict && (singletonsSeen & bit) != 0)
            {
                return "repeats an extension singleton (RFC 5646 §2.2.6)";
            }

            singletonsSeen |= bit;
            NextSubtag(text, ref position);
            next = Peek(text, position);
            if (next.Length < 2)
            {
                return "an extension singleton must be followed by subtags of 2-8 characters";
            }

            while (next.Length >= 2)
            {
                NextSubtag(text, ref position);
                next = Peek(text, position);
            }
        }

        if (IsSingleton(next, 'x'))
        {
            NextSubtag(text, ref position);
            if (CheckPrivateUse(text, ref position) is { } privateUseError)
            {
                return privateUseError;
            }
        }

        return position == text.Length ? null : "has a subtag out of place";
    }

    // After an "x": one or more subtags of 1-8 characters, to the end of the tag.
    private static string? CheckPrivateUse<T>(ReadOnlySpan<T> text, ref int position)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (position == text.Length)
        {
            return "private use 'x' must be followed by at least one subtag";
        }

        position = text.Length;
        return null;
    }

    private static ReadOnlySpan<T> NextSubtag<T>(ReadOnlySpan<T> text, ref int position)
        where T : unmanaged, IBinaryInteger<T>
    {
        var subtag = Peek(text, position);
        position += subtag.Length;
        if (position < text.Length)
        {
            position++; // the '-'
        }

        return subtag;
    }

    private static ReadOnlySpan<T> Peek<T>(ReadOnlySpan<T> text, int position)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (position >= text.Length)
        {
            return default;
        }

        var rest = text[position..];
        var dash = rest.IndexOf(T.CreateTruncating('-'));
        return dash < 0 ? rest : rest[..dash];
    }

    private static bool IsSingleton<T>(ReadOnlySpan<T> subtag, char lower)
        where T : unmanaged, IBinaryInteger<T> => subtag.Length == 1 && (SyntaxChars.Code(subtag[0]) | 0x20) == lower;

    private static bool AllLetters<T>(ReadOnlySpan<T> subtag)
        where T : unmanaged, IBinaryInteger<T>
    {
        foreach (var unit in subtag)
        {
            if (!SyntaxChars.IsLetter(SyntaxChars.Code(unit)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AllDigits<T>(ReadOnlySpan<T> subtag)
        where T : unmanaged, IBinaryInteger<T>
    {
        foreach (var unit in subtag)
        {
            if (!SyntaxChars.IsDigit(SyntaxChars.Code(unit)))
            {
                return false;
            }
        }

        return true;
    }

    // Only called on text already checked to be letters, digits and '-', where OR-ing 0x20 folds case safely.
    private static bool EqualsIgnoreCase<T>(ReadOnlySpan<T> text, ReadOnlySpan<char> other)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (text.Length != other.Length)
        {
            return false;
        }

        for (var index = 0; index < text.Length; index++)
        {
            if ((SyntaxChars.Code(text[index]) | 0x20) != (other[index] | 0x20))
            {
                return false;
            }
        }

        return true;
    }

    private static bool EqualsIgnoreCase<T>(ReadOnlySpan<T> left, ReadOnlySpan<T> right)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (left.Length != right.Length)
        {
            return false;
        }

        for (var index = 0; index < left.Length; index++)
        {
            if ((SyntaxChars.Code(left[index]) | 0x20) != (SyntaxChars.Code(right[index]) | 0x20))
            {
                return false;
            }
        }

        return true;
    }
}
