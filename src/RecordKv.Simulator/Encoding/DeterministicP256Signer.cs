using System.Numerics;
using System.Security.Cryptography;

namespace RecordKv.Simulator.Encoding;

/// <summary>
/// P-256 ECDSA with RFC 6979 deterministic nonces. The BCL's <see cref="ECDsa"/> draws a random nonce per signature,
/// which would make the simulator's output differ between runs of the same seed; libsecp256k1 (k256) is already
/// deterministic. The one expensive step, the x coordinate of k·G, comes from OpenSSL through an ECDH agreement
/// between the nonce (as a private key) and the generator point; the rest is scalar arithmetic modulo n.
/// </summary>
internal sealed class DeterministicP256Signer
{
    private static readonly BigInteger Order = new(Convert.FromHexString("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551"), isUnsigned: true, isBigEndian: true);
    private static readonly BigInteger HalfOrder = Order >> 1;
    private static readonly ECDiffieHellmanPublicKey Generator = CreateGeneratorKey();

    private readonly byte[] _secret;
    private readonly BigInteger _d;

    public DeterministicP256Signer(ReadOnlySpan<byte> secret)
    {
        _secret = secret.ToArray();
        _d = new BigInteger(secret, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>Signs a 32-byte SHA-256 hash into 64 bytes (r ‖ s, low-S).</summary>
    public void SignHash(ReadOnlySpan<byte> hash, Span<byte> signature)
    {
        var z = new BigInteger(hash, isUnsigned: true, isBigEndian: true);
        Span<byte> k = stackalloc byte[32];
        var generator = new NonceGenerator(_secret, Reduce(z));
        while (true)
        {
            generator.Next(k);
            var kValue = new BigInteger(k, isUnsigned: true, isBigEndian: true);
            if (kValue.IsZero || kValue >= Order)
            {
                continue;
            }

            var r = XOfMultipleOfGenerator(k) % Order;
            if (r.IsZero)
            {
                continue;
            }

            var s = BigInteger.ModPow(kValue, Order - 2, Order) * (z + (r * _d)) % Order;
            if (s.IsZero)
            {
                continue;
            }

            if (s > HalfOrder)
            {
                s = Order - s;
            }

            WriteScalar(r, signature[..32]);
            WriteScalar(s, signature[32..64]);
            return;
        }
    }

    private static BigInteger Reduce(BigInteger value) => value >= Order ? value - Order : value;

    private static BigInteger XOfMultipleOfGenerator(ReadOnlySpan<byte> k)
    {
        using var ecdh = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = k.ToArray() });
        var x = ecdh.DeriveRawSecretAgreement(Generator);
        return new BigInteger(x, isUnsigned: true, isBigEndian: true);
    }

    private static void WriteScalar(BigInteger value, Span<byte> destination)
    {
        destination.Clear();
        var length = value.GetByteCount(isUnsigned: true);
        value.TryWriteBytes(destination[(32 - length)..], out _, isUnsigned: true, isBigEndian: true);
    }

    private static ECDiffieHellmanPublicKey CreateGeneratorKey()
    {
        var parameters = new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint
            {
                X = Convert.FromHexString("6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296"),
                Y = Convert.FromHexString("4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5"),
            },
        };
        using var ecdh = ECDiffieHellman.Create(parameters);
        return ecdh.PublicKey;
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
