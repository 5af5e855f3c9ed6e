namespace RecordKv.Cli.Repositories;

/// <summary>A repository CAR export loaded and verified through the atproto library, seen the way the CLI prints it.</summary>
internal sealed class RepositoryExport
{
    private RepositoryExport()
    {
    }

    /// <summary>Every record in key order.</summary>
    public IEnumerable<ExportedRecord> Records => [];

    /// <summary>Reads, parses and verifies the export in <paramref name="carFile"/>.</summary>
    public static async Task<RepositoryExport> LoadAsync(FileInfo carFile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(carFile);
        var bytes = await File.ReadAllBytesAsync(carFile.FullName, cancellationToken).ConfigureAwait(false);
        _ = bytes;

        // Wired to RecordKv.Atproto.Repo.Repository once the repo branch lands.
        throw new CliException($"{carFile.Name}: loading repositories is not available in this build yet");
    }

    /// <summary>Checks the commit signature with the signing key of the DID document in <paramref name="didDocumentFile"/>.</summary>
    public Task<SignatureStatus> CheckSignatureAsync(FileInfo didDocumentFile, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    /// <summary>The summary <c>repo inspect</c> prints.</summary>
    public RepositoryReport Describe(SignatureStatus signature) => throw new NotSupportedException();
}
