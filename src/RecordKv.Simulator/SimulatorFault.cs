namespace RecordKv.Simulator;

/// <summary>A misbehaviour the simulator can inject on purpose (each enabled by <c>--fault name=rate</c>).</summary>
public enum SimulatorFault
{
    /// <summary>A commit whose signature bytes are corrupted (the repository state still advances).</summary>
    BadSignature,

    /// <summary>A commit signed by a key that is not the account's.</summary>
    WrongKey,

    /// <summary>A commit carrying the high-S twin of its valid signature.</summary>
    HighS,

    /// <summary>A commit whose CAR lacks one MST proof block.</summary>
    MissingProofBlock,

    /// <summary>A commit applied without being emitted, so the next commit's prevData skips it.</summary>
    PrevDataGap,

    /// <summary>An earlier commit of the account re-emitted under a new seq (its rev is not newer).</summary>
    StaleRev,

    /// <summary>A frame sent twice (same seq).</summary>
    DuplicateFrame,

    /// <summary>A commit frame whose body is not valid DAG-CBOR.</summary>
    MalformedCbor,

    /// <summary>A commit whose blocks CAR is cut short.</summary>
    TruncatedCar,

    /// <summary>A commit frame padded above the frame size limit.</summary>
    OversizedFrame,

    /// <summary>An extra frame with an event type no lexicon defines.</summary>
    UnknownEventType,

    /// <summary>getRepo answers 500.</summary>
    GetRepoError,

    /// <summary>getRepo answers 429 with Retry-After.</summary>
    GetRepoRateLimited,

    /// <summary>getRepo answers slowly (the body trickles out over about two seconds).</summary>
    GetRepoSlow,

    /// <summary>getRepo sends a CAR cut short.</summary>
    GetRepoTruncated,
}
