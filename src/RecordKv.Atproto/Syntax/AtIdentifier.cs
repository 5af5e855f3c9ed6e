using System.Numerics;

namespace RecordKv.Atproto.Syntax;

/// <summary>An AT identifier (atproto.com/specs/lexicon#at-identifier): either a <see cref="Syntax.Did"/> or a <see cref="Syntax.Handle"/>.</summary>
/// <remarks>The two never overlap: a DID starts with <c>did:</c> and a handle cannot contain ':'.</remarks>
public readonly partial record struct AtIdentifier
{
    private readonly string? _value;

    private AtIdentifier(string value) => _value = value;

    /// <summary>The identifier as text.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Whether the identifier is a DID (otherwise it is a handle).</summary>
    public bool IsDid => Value.StartsWith("did:", StringComparison.Ordinal);

    /// <summary>Whether the identifier is a handle (otherwise it is a DID).</summary>
    public bool IsHandle => _value is not null && !IsDid;

    /// <summary>Wraps a DID.</summary>
    public static AtIdentifier FromDid(Did did) => new(did.Value);

    /// <summary>Wraps a handle.</summary>
    public static AtIdentifier FromHandle(Handle handle) => new(handle.Value);

    /// <summary>Gets the DID when the identifier is one.</summary>
    public bool TryGetDid(out Did did)
    {
        did = IsDid ? Did.FromValidated(Value) : default;
        return IsDid;
    }

    /// <summary>Gets the handle when the identifier is one.</summary>
    public bool TryGetHandle(out Handle handle)
    {
        handle = IsHandle ? Handle.FromValidated(Value) : default;
        return IsHandle;
    }

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <summary>Wraps text a caller has already validated.</summary>
    internal static AtIdentifier FromValidated(string value) => new(value);

    /// <summary>Returns null when <paramref name="text"/> is a valid DID or handle, otherwise what is wrong.</summary>
    internal static string? Check<T>(ReadOnlySpan<T> text)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (text.Length >= 4
            && SyntaxChars.Code(text[0]) == 'd' && SyntaxChars.Code(text[1]) == 'i'
            && SyntaxChars.Code(text[2]) == 'd' && SyntaxChars.Code(text[3]) == ':')
        {
            return Did.Check(text) is null ? null : "starts with \"did:\" but is not a valid DID";
        }

        return Handle.Check(text) is null ? null : "is neither a valid DID nor a valid handle";
    }
}
