using System.Buffers;

namespace RecordKv.Atproto.Syntax;

/// <summary>The character sets the scanners test whole spans against, as UTF-16 and UTF-8 <see cref="SearchValues"/>.</summary>
internal static class SyntaxCharSets
{
    private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>DID identifier characters: letters, digits and <c>._:%-</c>.</summary>
    public static readonly SearchValues<char> DidIdentifierChars = SearchValues.Create(Alphanumerics + "._:%-");

    /// <inheritdoc cref="DidIdentifierChars"/>
    public static readonly SearchValues<byte> DidIdentifierBytes = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:%-"u8);

    /// <summary>Record key characters: letters, digits and <c>._:~-</c>.</summary>
    public static readonly SearchValues<char> RecordKeyChars = SearchValues.Create(Alphanumerics + "._:~-");

    /// <inheritdoc cref="RecordKeyChars"/>
    public static readonly SearchValues<byte> RecordKeyBytes = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:~-"u8);

    /// <summary>Hostname characters: letters, digits, <c>-</c> and <c>.</c>.</summary>
    public static readonly SearchValues<char> HostnameChars = SearchValues.Create(Alphanumerics + "-.");

    /// <inheritdoc cref="HostnameChars"/>
    public static readonly SearchValues<byte> HostnameBytes = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-."u8);
}
