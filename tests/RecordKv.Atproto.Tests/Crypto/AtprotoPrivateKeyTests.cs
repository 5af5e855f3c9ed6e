using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RecordKv.Atproto.Crypto;
using RecordKv.Testing;
using SimpleBase;

namespace RecordKv.Atproto.Tests.Crypto;

public sealed class AtprotoPrivateKeyTests
{
    public static TheoryData<string, string> W3cK256Keys()
    {
        var data = new TheoryData<string, string>();
        using var document = JsonDocument.Parse(File.ReadAllText(SharedFixtures.Path("atproto-interop", "crypto", "w3c_didkey_K256.json")));
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            data.Add(entry.GetProperty("privateKeyBytesHex").GetString()!, entry.GetProperty("publicDidKey").GetString()!);
        }

        return data;
    }

    public static TheoryData<string, string> W3cP256Keys()
    {
        var data = new TheoryData<string, string>();
        using var document = JsonDocument.Parse(File.ReadAllText(SharedFixtures.Path("atproto-interop", "crypto", "w3c_didkey_P256.json")));
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            data.Add(entry.GetProperty("privateKeyBytesBase58").GetString()!, entry.GetProperty("publicDidKey").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(W3cK256Keys))]
    public void Import_W3cK256PrivateKey_HasFixtureDidKey(string privateKeyHex, string didKey)
    {
        using var key = AtprotoPrivateKey.Import(KeyAlgorithm.K256, Convert.FromHexString(privateKeyHex));

        key.ToDidKey().ShouldBe(didKey);
        key.PublicKey.ShouldBe(AtprotoPublicKey.ParseDidKey(didKey));
        key.ExportSecret().ShouldBe(Convert.FromHexString(privateKeyHex));
    }

    [Theory]
    [MemberData(nameof(W3cP256Keys))]
    public void Import_W3cP256PrivateKey_HasFixtureDidKey(string privateKeyBase58, string didKey)
    {
        var secret = Base58.Bitcoin.Decode(privateKeyBase58);

        using var key = AtprotoPrivateKey.Import(KeyAlgorithm.P256, secret);

        key.ToDidKey().ShouldBe(didKey);
        key.ExportSecret().ShouldBe(secret);
    }

    [Theory]
    [InlineData(KeyAlgorithm.K256)]
    [InlineData(KeyAlgorithm.P256)]
    public void Sign_ManyMessages_AllVerifyAndAreLowS(KeyAlgorithm algorithm)
    {
        using var key = AtprotoPrivateKey.Generate(algorithm);
        var publicKey = AtprotoPublicKey.ParseDidKey(key.ToDidKey());

        // P-256 nonces are random, so 64 signatures exercise the normalization branch with probability 1 - 2^-64.
        for (var i = 0; i < 64; i++)
        {
            var message = Encoding.UTF8.GetBytes($"message {i}");
            var signature = key.Sign(message);

            signature.Length.ShouldBe(64);
            EcdsaSignature.IsLowS(algorithm, signature).ShouldBeTrue();
            publicKey.Verify(message, signature).ShouldBeTrue();
            publicKey.Verify(message, EcdsaSignature.ToHighS(algorithm, signature)).ShouldBeFalse();
            publicKey.Verify(Encoding.UTF8.GetBytes($"message {i + 1}"), signature).ShouldBeFalse();
        }
    }

    [Fact]
    public void Sign_K256_IsDeterministic()
    {
        using var key = AtprotoPrivateKey.FromSeed(KeyAlgorithm.K256, "alice");
        var message = "hello"u8.ToArray();

        key.Sign(message).ShouldBe(key.Sign(message));
    }

    [Theory]
    [InlineData(KeyAlgorithm.K256)]
    [InlineData(KeyAlgorithm.P256)]
    public void SignHash_PrecomputedHash_EqualsSignOfData(KeyAlgorithm algorithm)
    {
        using var key = AtprotoPrivateKey.FromSeed(algorithm, "bob");
        var message = "some commit bytes"u8.ToArray();
        Span<byte> signature = stackalloc byte[64];

        key.SignHash(SHA256.HashData(message), signature);

        key.PublicKey.Verify(message, signature).ShouldBeTrue();
        Should.Throw<ArgumentException>(() => key.SignHash(message, new byte[64]));
        Should.Throw<ArgumentException>(() => key.SignHash(SHA256.HashData(message), new byte[63]));
    }

    [Theory]
    [InlineData(KeyAlgorithm.K256)]
    [InlineData(KeyAlgorithm.P256)]
    public void FromSeed_SameSeed_GivesSameKey(KeyAlgorithm algorithm)
    {
        using var first = AtprotoPrivateKey.FromSeed(algorithm, "did:plc:simulated-0001");
        using var again = AtprotoPrivateKey.FromSeed(algorithm, "did:plc:simulated-0001");
        using var other = AtprotoPrivateKey.FromSeed(algorithm, "did:plc:simulated-0002");

        again.ToDidKey().ShouldBe(first.ToDidKey());
        other.ToDidKey().ShouldNotBe(first.ToDidKey());
        first.ExportSecret().ShouldBe(SHA256.HashData("did:plc:simulated-0001"u8));
        first.Algorithm.ShouldBe(algorithm);
        first.PublicKey.Algorithm.ShouldBe(algorithm);
    }

    [Fact]
    public void Generate_TwoKeys_Differ()
    {
        using var first = AtprotoPrivateKey.Generate(KeyAlgorithm.K256);
        using var second = AtprotoPrivateKey.Generate(KeyAlgorithm.K256);

        first.ToDidKey().ShouldNotBe(second.ToDidKey());
    }

    [Theory]
    [InlineData(KeyAlgorithm.K256, "", "32 bytes, not 0")]
    [InlineData(KeyAlgorithm.K256, "01", "32 bytes, not 1")]
    [InlineData(KeyAlgorithm.K256, "0000000000000000000000000000000000000000000000000000000000000000", "not in [1, n-1]")]
    [InlineData(KeyAlgorithm.K256, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", "not in [1, n-1]")]
    [InlineData(KeyAlgorithm.K256, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", "not in [1, n-1]")]
    [InlineData(KeyAlgorithm.P256, "0000000000000000000000000000000000000000000000000000000000000000", "not in [1, n-1]")]
    [InlineData(KeyAlgorithm.P256, "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", "not in [1, n-1]")]
    [InlineData(KeyAlgorithm.P256, "00FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", "32 bytes, not 33")]
    public void Import_InvalidSecret_ThrowsKeyFormatException(KeyAlgorithm algorithm, string secretHex, string expectedMessagePart)
    {
        Should.Throw<KeyFormatException>(() => AtprotoPrivateKey.Import(algorithm, Convert.FromHexString(secretHex)))
            .Message.ShouldContain(expectedMessagePart);
    }

    [Theory]
    [InlineData(KeyAlgorithm.K256, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364140")]
    [InlineData(KeyAlgorithm.P256, "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632550")]
    public void Import_LargestValidSecret_Signs(KeyAlgorithm algorithm, string secretHex)
    {
        using var key = AtprotoPrivateKey.Import(algorithm, Convert.FromHexString(secretHex));

        key.PublicKey.Verify("x"u8, key.Sign("x"u8)).ShouldBeTrue();
    }

    [Theory]
    [InlineData(KeyAlgorithm.K256)]
    [InlineData(KeyAlgorithm.P256)]
    public void Sign_AfterDispose_ThrowsObjectDisposedException(KeyAlgorithm algorithm)
    {
        var key = AtprotoPrivateKey.FromSeed(algorithm, "carol");
        key.Dispose();
        key.Dispose();

        Should.Throw<ObjectDisposedException>(() => key.Sign("x"u8.ToArray()));
        Should.Throw<ObjectDisposedException>(() => key.ExportSecret());
    }

    [Fact]
    public void Sign_ManyThreadsOnOneK256Key_AllVerify()
    {
        using var key = AtprotoPrivateKey.FromSeed(KeyAlgorithm.K256, "dave");
        var failures = 0;

        Parallel.For(0, 1000, i =>
        {
            var message = BitConverter.GetBytes(i);
            if (!key.PublicKey.Verify(message, key.Sign(message)))
            {
                Interlocked.Increment(ref failures);
            }
        });

        failures.ShouldBe(0);
    }
}
