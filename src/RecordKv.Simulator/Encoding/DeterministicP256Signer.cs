using System.Numerics;
using System.Security.Cryptography;

namespace RecordKv.Simulator.Encoding;

/// <summary>
/// P-256 ECDSA with RFC 6979 deterministic nonces. The BCL's <see cref="ECDsa"/> draws a random nonce per signature,
/// which would make the simulator's output differ between runs of the same seed; libsecp256k1 (k256) is already
/// deterministic. The nonce comes from RFC 6979's HMAC-SHA256 generator; the arithmetic (k·G and the scalars modulo
/// n) from OpenSSL's libcrypto (<see cref="OpenSslP256"/>).
/// </summary>
internal sealed class DeterministicP256Signer
{
    private static readonly BigInteger Order = new(Convert.FromHexString("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551"), isUnsigned: true, isBigEndian: true);

    private readonly byte[] _secret;

    public DeterministicP256Signer(ReadOnlySpan<byte> secret)
    {
        _secret = secret.ToArray();
    }

    /// <summary>Signs a 32-byte SHA-256 hash into 64 bytes (r ‖ s, low-S).</summary>
    public void SignHash(ReadOnlySpan<byte> hash, Span<byte> signature)
    {
        var z = new BigInteger(hash, isUnsigned: true, isBigEndian: true);
        Span<byte> k = stackalloc byte[32];
        var generator = new NonceGenerator(_secret, z >= Order ? z - Order : z);
        while (true)
        {
            generator.Next(k);
            var kValue = new BigInteger(k, isUnsigned: true, isBigEndian: true);
            if (!kValue.IsZero && kValue < Order && OpenSslP256.TrySign(_secret, hash, k, signature))
            {
                return;
            }
        }
    }

    private static void WriteScalar(BigInteger value, Span<byte> destination)
    {
        destination.Clear();
        var length = value.GetByteCount(isUnsigned: true);
        value.TryWriteBytes(destination[(32 - length)..], out _, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>The HMAC-SHA256 DRBG of RFC 6979 section 3.2, for qlen = hlen = 256.</summary>
    private struct NonceGenerator
    {
        private readonly byte[] _key = new byte[32];
        private readonly byte[] _value = new byte[32];
        private bool _started;

        public NonceGenerator(byte[] secret, BigInteger reducedHash)
        {
            Span<byte> h1 = stackalloc byte[32];
            WriteScalar(reducedHash, h1);
            _value.AsSpan().Fill(0x01);
            Span<byte> input = stackalloc byte[32 + 1 + 32 + 32];
            foreach (var separator in (ReadOnlySpan<byte>)[0x00, 0x01])
            {
                _value.CopyTo(input);
                input[32] = separator;
                secret.CopyTo(input[33..]);
                h1.CopyTo(input[65..]);
                HMACSHA256.HashData(_key, input, _key);
                HMACSHA256.HashData(_key, _value, _value);
            }
        }

        public void Next(Span<byte> k)
        {
            if (_started)
            {
                Span<byte> input = stackalloc byte[33];
                _value.CopyTo(input);
                input[32] = 0x00;
                HMACSHA256.HashData(_key, input, _key);
                HMACSHA256.HashData(_key, _value, _value);
            }

            _started = true;
            HMACSHA256.HashData(_key, _value, _value);
            _value.CopyTo(k);
        }
    }
}
