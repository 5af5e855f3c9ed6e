using System.Text;

namespace RecordKv.Contracts.Tests;

public sealed class DidPartitionerTests
{
    // The vectors of the design's data contracts (../shared/DESIGN.md).
    [Theory]
    [InlineData("hello", 613153351u)]
    [InlineData("did:plc:ewvi7nxzyoun6zhxrhs64oiz", 2800228254u)]
    [InlineData("did:plc:abc", 442763933u)]
    public void Hash32_DesignVectors_Match(string input, uint expected)
    {
        Murmur3.Hash32(Encoding.UTF8.GetBytes(input)).ShouldBe(expected);
    }

    // Published MurmurHash3 x86_32 vectors: empty input, seeds, and every tail length.
    [Theory]
    [InlineData("", 0u, 0u)]
    [InlineData("", 1u, 0x514E28B7u)]
    [InlineData("", 0xffffffffu, 0x81F16F39u)]
    [InlineData("a", 0x9747b28cu, 0x7FA09EA6u)]
    [InlineData("aa", 0x9747b28cu, 0x5D211726u)]
    [InlineData("aaa", 0x9747b28cu, 0x283E0130u)]
    [InlineData("aaaa", 0x9747b28cu, 0x5A97808Au)]
    [InlineData("Hello, world!", 0x9747b28cu, 0x24884CBAu)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x9747b28cu, 0x2FA826CDu)]
    public void Hash32_PublishedVectors_Match(string input, uint seed, uint expected)
    {
        Murmur3.Hash32(Encoding.UTF8.GetBytes(input), seed).ShouldBe(expected);
    }

    [Theory]
    [InlineData("did:plc:ewvi7nxzyoun6zhxrhs64oiz", 14)]
    [InlineData("did:plc:abc", 13)]
    public void PartitionOf_DesignVectors_Match(string did, int partition)
    {
        new DidPartitioner(16).PartitionOf(did).ShouldBe(partition);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(DidPartitioner.MaxPartitionCount + 1)]
    public void Constructor_PartitionCountOutOfRange_Throws(int count)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new DidPartitioner(count));
    }
}
