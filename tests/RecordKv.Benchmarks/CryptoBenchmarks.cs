using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using RecordKv.Atproto.Crypto;

namespace RecordKv.Benchmarks;

/// <summary>Signature verification and signing per curve, and did:key parsing.</summary>
[MemoryDiagnoser]
public class CryptoBenchmarks
{
    // About the size of a signed atproto commit (unsigned commit block).
    private readonly byte[] _message = RandomNumberGenerator.GetBytes(150);
    private readonly byte[] _signatureBuffer = new byte[EcdsaSignature.Length];
    private AtprotoPrivateKey _k256PrivateKey = null!;
    private AtprotoPrivateKey _p256PrivateKey = null!;
    private AtprotoPublicKey _k256PublicKey = null!;
    private AtprotoPublicKey _p256PublicKey = null!;
    private byte[] _k256Signature = null!;
    private byte[] _p256Signature = null!;
    private byte[] _hash = null!;
    private string _k256DidKey = null!;
    private string _p256DidKey = null!;

    [GlobalSetup]
    public void Setup()
    {
        _k256PrivateKey = AtprotoPrivateKey.FromSeed(KeyAlgorithm.K256, "benchmark");
        _p256PrivateKey = AtprotoPrivateKey.FromSeed(KeyAlgorithm.P256, "benchmark");
        _k256DidKey = _k256PrivateKey.ToDidKey();
        _p256DidKey = _p256PrivateKey.ToDidKey();
        _k256PublicKey = AtprotoPublicKey.ParseDidKey(_k256DidKey);
        _p256PublicKey = AtprotoPublicKey.ParseDidKey(_p256DidKey);
        _k256Signature = _k256PrivateKey.Sign(_message);
        _p256Signature = _p256PrivateKey.Sign(_message);
        _hash = SHA256.HashData(_message);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _k256PrivateKey.Dispose();
        _p256PrivateKey.Dispose();
    }

    [Benchmark(Baseline = true)]
    public bool K256Verify() => _k256PublicKey.Verify(_message, _k256Signature);

    [Benchmark]
    public bool K256VerifyHash() => _k256PublicKey.VerifyHash(_hash, _k256Signature);

    [Benchmark]
    public bool P256Verify() => _p256PublicKey.Verify(_message, _p256Signature);

    [Benchmark]
    public void K256Sign() => _k256PrivateKey.Sign(_message, _signatureBuffer);

    [Benchmark]
    public void P256Sign() => _p256PrivateKey.Sign(_message, _signatureBuffer);

    [Benchmark]
    public AtprotoPublicKey K256ParseDidKey() => AtprotoPublicKey.ParseDidKey(_k256DidKey);

    [Benchmark]
    public AtprotoPublicKey P256ParseDidKey() => AtprotoPublicKey.ParseDidKey(_p256DidKey);
}
