using System.Numerics;

namespace RecordKv.Atproto.Syntax;

/// <summary>A syntactically valid DID (atproto.com/specs/did): <c>did:</c>, a lowercase method, <c>:</c>, an identifier.</summary>
/// <remarks>Any method passes: whether a method is supported is an application question, not a syntax one.
/// Equality is ordinal (DIDs are case-sensitive). <c>default</c> holds the empty string and is not a valid DID.</remarks>
public readonly partial record struct Did
{
    /// <summary>The longest DID accepted (the spec's initial hard limit of 2 KB).</summary>
    public const int MaxLength = 2048;

    private readonly string? _value;

    private Did(string value) => _value = value;

    /// <summary>Wraps text a caller has already validated (e.g. a part of a parsed AT-URI).</summary>
    internal static Did FromValidated(string value) => new(value);

    /// <summary>The DID as text.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>The method name, e.g. <c>plc</c> or <c>web</c>.</summary>
    public ReadOnlySpan<char> Method
    {
        get
        {
            var value = Value.AsSpan();
            if (value.Length < 4)
            {
                return default;
            }

            var rest = value[4..];
            var colon = rest.IndexOf(':');
            return colon < 0 ? default : rest[..colon];
        }
    }

    /// <summary>The method-specific identifier after <c>did:method:</c>.</summary>
    public ReadOnlySpan<char> Identifier
    {
        get
        {
            var method = Method;
            return method.IsEmpty ? default : Value.AsSpan(4 + method.Length + 1);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <summary>Returns null when <paramref name="text"/> is a valid DID, otherwise what is wrong.</summary>
    internal static string? Check<T>(ReadOnlySpan<T> text)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (text.Length > MaxLength)
        {
            return "longer than 2048 characters";
        }

        if (text.Length < 4
            || SyntaxChars.Code(text[0]) != 'd' || SyntaxChars.Code(text[1]) != 'i'
            || SyntaxChars.Code(text[2]) != 'd' || SyntaxChars.Code(text[3]) != ':')
        {
            return "must start with lowercase \"did:\"";
        }

        var index = 4;
        while (index < text.Length && SyntaxChars.IsLower(SyntaxChars.Code(text[index])))
        {
            index++;
        }

        if (index == 4)
        {
            return "method must be one or more lowercase letters";
        }

        if (index == text.Length || SyntaxChars.Code(text[index]) != ':')
        {
            return "method must be lowercase letters followed by ':'";
        }

        index++;
        if (index == text.Length)
        {
            return "identifier after the method is empty";
        }

        if (!SyntaxChars.AllIn(text[index..], SyntaxCharSets.DidIdentifierChars, SyntaxCharSets.DidIdentifierBytes))
        {
            return "identifier may contain only letters, digits and ._:%-";
        }

        var last = SyntaxChars.Code(text[^1]);
        if (last is ':' or '%')
        {
            return "must not end with ':' or '%'";
        }

        return null;
    }
}
