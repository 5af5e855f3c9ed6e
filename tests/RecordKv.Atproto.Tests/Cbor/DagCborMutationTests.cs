using RecordKv.Atproto.Car;
using RecordKv.Atproto.Cbor;
using RecordKv.Testing;

namespace RecordKv.Atproto.Tests.Cbor;

/// <summary>Seeded mutations of real blocks: the decoders must either accept or throw their own format exception, never crash.</summary>
public sealed class DagCborMutationTests
{
    [Fact]
    public void Validate_MutatedRealBlocks_ThrowsOnlyCborFormatException()
    {
        var car = File.ReadAllBytes(SharedFixtures.Path("real", "repos", "bnewbold.robocracy.org.20250310005405.car"));
        var blocks = CarReader.ReadAll(car).Blocks;
        var random = new Random(20261122);
        var rejected = 0;

        for (var i = 0; i < 5000; i++)
        {
            var block = blocks[random.Next(blocks.Count)].Data.ToArray();
            Mutate(block, random, out var mutated);
            try
            {
                DagCbor.Validate(mutated);
                _ = DagCborJson.ToJsonString(mutated);
            }
            catch (CborFormatException error)
            {
                error.Offset.ShouldBeInRange(0, mutated.Length);
                rejected++;
            }
        }

        // Most mutations break something; if none were rejected the decoder checks nothing.
        rejected.ShouldBeGreaterThan(2500);
    }

    [Fact]
    public void ReadAll_MutatedRealCar_ThrowsOnlyCarFormatException()
    {
        var original = File.ReadAllBytes(SharedFixtures.Path("real", "repos", "greenground.repo.car"));
        var random = new Random(7);
        var rejected = 0;

        for (var i = 0; i < 3000; i++)
        {
            Mutate((byte[])original.Clone(), random, out var mutated);
            try
            {
                CarReader.ReadAll(mutated);
            }
            catch (CarFormatException error)
            {
                error.Offset.ShouldBeInRange(0, mutated.Length);
                rejected++;
            }
        }

        rejected.ShouldBeGreaterThan(2500);
    }

    private static void Mutate(byte[] bytes, Random random, out byte[] mutated)
    {
        switch (random.Next(4))
        {
            case 0:
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                mutated = bytes;
                break;
            case 1:
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                mutated = bytes;
                break;
            case 2:
                mutated = bytes[..random.Next(bytes.Length)];
                break;
            default:
                var at = random.Next(bytes.Length);
                mutated = [.. bytes[..at], (byte)random.Next(256), .. bytes[at..]];
                break;
        }
    }
}
