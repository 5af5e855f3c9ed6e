using System.Numerics;

namespace RecordKv.Atproto.Syntax;

/// <summary>A syntactically valid record key (atproto.com/specs/record-key): 1–512 of <c>A-Za-z0-9._:~-</c>, not <c>.</c> or <c>..</c>.</summary>
/// <remarks>Record keys are case-sensitive; equality is ordinal.</remarks>
public readonly partial record struct RecordKey
{
    /// <summary>The longest record key accepted, in characters.</summary>
    public const int MaxLength = 512;

    private readonly string? _value;

    private RecordKey(string value) => _value = value;

    /// <summary>Wraps text a caller has already validated (e.g. a part of a parsed AT-URI).</summary>
    internal static RecordKey FromValidated(string value) => new(value);

    /// <summary>The record key as text.</summary>
    public string Value => _value ?? string.Empty;

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <summary>Returns null when <paramref name="text"/> is a valid record key, otherwise what is wrong.</summary>
    internal static string? Check<T>(ReadOnlySpan<T> text)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (text.IsEmpty)
        {
            return "is empty";
        }

        if (text.Length > MaxLength)
        {
            return "longer than 512 characters";
        }

        if (!SyntaxChars.AllIn(text, SyntaxCharSets.RecordKeyChars, SyntaxCharSets.RecordKeyBytes))
        {
            return "may contain only ASCII letters, digits and ._:~-";
        }

        if (SyntaxChars.Code(text[0]) == '.' && (text.Length == 1 || (text.Length == 2 && SyntaxChars.Code(text[1]) == '.')))
        {
            return "must not be \".\" or \"..\"";
        }

        return null;
    }
}
