using System.Diagnostics.CodeAnalysis;
using RecordKv.Atproto.Cbor;

namespace RecordKv.Atproto.Firehose;

/// <summary>Reads and writes <c>subscribeRepos</c> frames: a DAG-CBOR header <c>{op, t}</c> followed by a DAG-CBOR body.</summary>
public static partial class FirehoseFrame
{
    /// <summary>Header <c>op</c> of a regular message.</summary>
    public const int MessageOp = 1;

    /// <summary>Header <c>op</c> of an error frame.</summary>
    public const int ErrorOp = -1;

    [DoesNotReturn]
    private static void ThrowFormat(string message) => throw new FirehoseFormatException(message);

    [DoesNotReturn]
    private static void ThrowMissing(string type, string field) =>
        throw new FirehoseFormatException($"{type} body lacks the required field '{field}'.");

    private static FirehoseFormatException Wrap(CborFormatException exception, string part) =>
        new($"Invalid DAG-CBOR in the frame {part}: {exception.Message}", exception);
}
