namespace RecordKv.Cli.Repositories;

/// <summary>What is known about a repository commit's signature.</summary>
internal enum SignatureStatus
{
    /// <summary>No key was given (no DID document), so the signature was not checked.</summary>
    Unchecked,

    /// <summary>The signature verifies with the DID document's signing key.</summary>
    Valid,

    /// <summary>The signature does not verify with the DID document's signing key.</summary>
    Invalid,
}
