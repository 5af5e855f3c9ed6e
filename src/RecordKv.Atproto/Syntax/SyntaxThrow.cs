using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace RecordKv.Atproto.Syntax;

/// <summary>Throw helpers kept out of the parsers so their hot paths stay small.</summary>
internal static class SyntaxThrow
{
    [DoesNotReturn]
    public static void Format(SyntaxKind kind, string reason, ReadOnlySpan<char> value) =>
        throw new SyntaxFormatException(kind, reason, value);

    [DoesNotReturn]
    public static void Format(SyntaxKind kind, string reason, ReadOnlySpan<byte> utf8Value) =>
        throw new SyntaxFormatException(kind, reason, Encoding.UTF8.GetString(utf8Value));
}
