using RecordKv.Atproto.Blocks;
using RecordKv.Atproto.Car;
using RecordKv.Atproto.Firehose;

namespace RecordKv.Atproto.Repo;

public sealed partial class Repository
{
    /// <summary>Streams a whole repository CAR export from <paramref name="car"/> and checks it (see <see cref="FromBlocks"/>).</summary>
    /// <exception cref="RepositoryFormatException">The CAR, commit, MST or a record is malformed, missing or over a limit.</exception>
    public static async Task<Repository> LoadAsync(Stream car, RepositoryLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(car);
        options ??= RepositoryLoadOptions.Default;
        try
        {
            var reader = await CarReader.OpenAsync(car, CarOptions(options), cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var blocks = new BlockMap();
                long totalBytes = 0;
                while (await reader.ReadBlockAsync(cancellationToken).ConfigureAwait(false) is { } block)
                {
                    totalBytes += block.Data.Length;
                    if (totalBytes > options.MaxTotalBytes)
                    {
                        throw new RepositoryFormatException($"The CAR export holds more than the limit of {options.MaxTotalBytes} bytes of blocks.");
                    }

                    blocks.Add(block.Cid, block.Data);
                }

                return FromBlocks(reader.Roots, blocks);
            }
        }
        catch (CarFormatException exception)
        {
            throw new RepositoryFormatException($"The repository CAR is malformed: {exception.Message}", exception);
        }
    }

    /// <summary>Checks a whole repository CAR export held in memory; records are slices of <paramref name="car"/>.</summary>
    /// <exception cref="RepositoryFormatException">The CAR, commit, MST or a record is malformed, missing or over a limit.</exception>
    public static Repository Load(ReadOnlyMemory<byte> car, RepositoryLoadOptions? options = null)
    {
        options ??= RepositoryLoadOptions.Default;
        if (car.Length > options.MaxTotalBytes)
        {
            throw new RepositoryFormatException($"The CAR export of {car.Length} bytes exceeds the limit of {options.MaxTotalBytes} bytes.");
        }

        try
        {
            var (roots, blocks) = CarSlice.Read(car, CarOptions(options));
            return FromBlocks(roots, blocks);
        }
        catch (CarFormatException exception)
        {
            throw new RepositoryFormatException($"The repository CAR is malformed: {exception.Message}", exception);
        }
    }

    private static CarReaderOptions CarOptions(RepositoryLoadOptions options) =>
        new() { MaxBlockSize = options.MaxBlockBytes, MaxBlockCount = options.MaxBlocks };
}
