namespace RecordKv.Ingester;

/// <summary>How the ingester treats a frame.</summary>
internal enum FrameKind
{
    /// <summary>A repository event with a seq and a DID: published to the DID's partition.</summary>
    Publish,

    /// <summary>An <c>#info</c> frame: logged.</summary>
    Info,

    /// <summary>An error frame (the relay closes the stream after it): logged.</summary>
    Error,

    /// <summary>An event type this ingester does not know, or a frame without seq or DID: logged and counted, not published.</summary>
    Unroutable,
}
