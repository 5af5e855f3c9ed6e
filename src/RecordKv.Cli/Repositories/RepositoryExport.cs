using RecordKv.Atproto.Cbor;
using RecordKv.Atproto.Identity;
using RecordKv.Atproto.Repo;

namespace RecordKv.Cli.Repositories;

/// <summary>A repository CAR export loaded and verified through <see cref="Repository"/>, seen the way the CLI prints it.</summary>
internal sealed class RepositoryExport
{
    private readonly Repository _repository;
    private readonly string _name;

    private RepositoryExport(Repository repository, string name)
    {
        _repository = repository;
        _name = name;
    }

    /// <summary>Every record in key order, each with its AT-URI, CID and a writer for its value as atproto JSON.</summary>
    public IEnumerable<ExportedRecord> Records
    {
        get
        {
            // The loader has checked every MST key is collection/rkey; printing does not re-validate them.
            var prefix = $"at://{_repository.Did}/";
            foreach (var record in _repository.Records)
            {
                var data = record.Data;
                yield return new ExportedRecord(
                    string.Concat(prefix, record.Path),
                    record.Cid.ToString(),
                    writer => DagCborJson.WriteJson(data.Span, writer));
            }
        }
    }

    /// <summary>Reads, parses and verifies the export in <paramref name="carFile"/>.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="CliException">The file is not a valid repository export; the message says why.</exception>
    public static async Task<RepositoryExport> LoadAsync(FileInfo carFile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(carFile);
        if (Directory.Exists(carFile.FullName))
        {
            throw new CliException($"{carFile}: is a directory, not a CAR file");
        }

        var stream = new FileStream(carFile.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                var repository = await Repository.LoadAsync(stream, RepositoryLoadOptions.Default, cancellationToken).ConfigureAwait(false);
                return new RepositoryExport(repository, carFile.ToString());
            }
            catch (FormatException exception)
            {
                // RepositoryFormatException and the CAR/CBOR/CID errors under it; the file name says which input was wrong.
                throw new CliException($"{carFile}: not a valid repository export: {exception.Message}", exception);
            }
        }
    }

    /// <summary>Checks the commit signature with the <c>#atproto</c> key of the DID document in <paramref name="didDocumentFile"/>;
    /// warns on <paramref name="warnings"/> when the document is for another DID (the key decides, not the id).</summary>
    /// <exception cref="CliException">The file is not a usable DID document; the message says why.</exception>
    public async Task<SignatureStatus> CheckSignatureAsync(FileInfo didDocumentFile, TextWriter warnings, CancellationToken cancellationToken)
    {
        var document = await ReadDidDocumentAsync(didDocumentFile, cancellationToken).ConfigureAwait(false);
        if (document.SigningKey is null)
        {
            throw new CliException($"{didDocumentFile}: the DID document has no #atproto signing key");
        }

        if (!string.Equals(document.Id, _repository.Did, StringComparison.Ordinal))
        {
            await warnings.WriteLineAsync(
                $"recordkv: warning: {didDocumentFile} is the DID document of {document.Id}, but {_name} is the repository of {_repository.Did}; checking the signature with its key anyway").ConfigureAwait(false);
        }

        return _repository.VerifySignature(document.SigningKey) ? SignatureStatus.Valid : SignatureStatus.Invalid;
    }

    /// <summary>The summary <c>repo inspect</c> prints.</summary>
    public RepositoryReport Describe(SignatureStatus signature) => new(
        _repository.Did,
        _repository.Rev,
        _repository.Version,
        _repository.CommitCid.ToString(),
        _repository.DataCid.ToString(),
        _repository.Records.Count,
        _repository.BlockCount,
        _repository.UnreachableBlockCount,
        signature);

    private static async Task<DidDocument> ReadDidDocumentAsync(FileInfo file, CancellationToken cancellationToken)
    {
        if (Directory.Exists(file.FullName))
        {
            throw new CliException($"{file}: is a directory, not a DID document");
        }

        // Checked before reading so a huge file given by mistake is refused without loading it.
        var length = new FileInfo(file.FullName).Length;
        if (length > DidDocument.MaxDocumentBytes)
        {
            throw new CliException($"{file}: not a DID document: {length} bytes is over the {DidDocument.MaxDocumentBytes}-byte limit");
        }

        var bytes = await File.ReadAllBytesAsync(file.FullName, cancellationToken).ConfigureAwait(false);
        try
        {
            return DidDocument.Parse(bytes);
        }
        catch (DidDocumentException exception)
        {
            throw new CliException($"{file}: not a usable DID document: {exception.Message}", exception);
        }
    }
}
