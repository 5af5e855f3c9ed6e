using RecordKv.Atproto.Firehose;

namespace RecordKv.Atproto.Repo;

public sealed partial class Repository
{
    /// <summary>Reads a whole repository CAR export from <paramref name="car"/> and checks it (see <see cref="FromBlocks"/>).</summary>
    /// <exception cref="RepositoryFormatException">The CAR, commit, MST or a record is malformed, missing or over a limit.</exception>
    public static async Task<Repository> LoadAsync(Stream car, RepositoryLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(car);
        options ??= RepositoryLoadOptions.Default;
        var limit = Math.Min(options.MaxTotalBytes, Array.MaxLength);
        using var buffer = car.CanSeek ? new MemoryStream(checked((int)Math.Min(car.Length - car.Position, limit))) : new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await car.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new RepositoryFormatException($"The CAR export is larger than the limit of {limit} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return Load(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), options);
    }

    /// <summary>Checks a whole repository CAR export held in memory; records are slices of <paramref name="car"/>.</summary>
    /// <exception cref="RepositoryFormatException">The CAR, commit, MST or a record is malformed, missing or over a limit.</exception>
    public static Repository Load(ReadOnlyMemory<byte> car, RepositoryLoadOptions? options = null)
    {
        options ??= RepositoryLoadOptions.Default;
        try
        {
            var (roots, blocks) = CarSlice.Read(car, options.MaxBlocks, options.MaxBlockBytes);
            return FromBlocks(roots, blocks);
        }
        catch (FirehoseFormatException exception)
        {
            throw new RepositoryFormatException($"The repository CAR is malformed: {exception.Message}", exception);
        }
    }
}
