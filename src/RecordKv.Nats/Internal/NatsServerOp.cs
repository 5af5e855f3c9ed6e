using System.Buffers;

namespace RecordKv.Nats.Internal;

/// <summary>One parsed server operation; <see cref="Payload"/> points into the read buffer and is valid until it is advanced.</summary>
internal readonly struct NatsServerOp
{
    public NatsServerOpKind Kind { get; init; }

    /// <summary>MSG/HMSG subject.</summary>
    public string? Subject { get; init; }

    /// <summary>MSG/HMSG subscription id.</summary>
    public long Sid { get; init; }

    /// <summary>MSG/HMSG reply subject.</summary>
    public string? ReplyTo { get; init; }

    /// <summary>HMSG: how many bytes of <see cref="Payload"/> are the header block.</summary>
    public int HeaderLength { get; init; }

    /// <summary>MSG/HMSG: header block and payload.</summary>
    public ReadOnlySequence<byte> Payload { get; init; }

    /// <summary>INFO: the JSON; -ERR: the error text without quotes.</summary>
    public string? Text { get; init; }
}
