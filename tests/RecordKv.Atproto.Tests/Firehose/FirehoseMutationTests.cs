using RecordKv.Atproto.Firehose;

namespace RecordKv.Atproto.Tests.Firehose;

/// <summary>Seeded random corruption of real frames: decoding fails only with <see cref="FirehoseFormatException"/>, verification never throws.</summary>
public sealed class FirehoseMutationTests
{
    private static readonly SignedRepositoryScenario Scenario = new(recordCount: 30);

    [Fact]
    public void Decode_CorruptedFrames_ThrowOnlyFirehoseFormatException()
    {
        var frame = FirehoseFrame.Encode(Scenario.SecondCommitEvent());
        var random = new Random(20261122);
        for (var round = 0; round < 2000; round++)
        {
            var mutated = Mutate(frame, random);
            try
            {
                FirehoseFrame.Decode(mutated);
            }
            catch (FirehoseFormatException)
            {
            }
        }
    }

    [Fact]
    public void Verify_CorruptedBlocks_ReturnsAFailedCheckWithoutThrowing()
    {
        var commitEvent = Scenario.SecondCommitEvent();
        var blocks = commitEvent.Blocks.ToArray();
        var verifier = new CommitVerifier();
        var random = new Random(42);
        var failures = 0;
        for (var round = 0; round < 1000; round++)
        {
            var result = verifier.Verify(commitEvent with { Blocks = Mutate(blocks, random) }, Scenario.Key.PublicKey, Scenario.StoredAfterFirst);
            if (!result.IsValid)
            {
                failures++;
                result.Message.ShouldNotBeNullOrEmpty();
            }
        }

        failures.ShouldBeGreaterThan(900);
    }

    private static byte[] Mutate(byte[] input, Random random)
    {
        var copy = input.ToArray();
        switch (random.Next(3))
        {
            case 0:
                copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                return copy;
            case 1:
                copy[random.Next(copy.Length)] = (byte)random.Next(256);
                return copy;
            default:
                return copy[..random.Next(copy.Length)];
        }
    }
}
