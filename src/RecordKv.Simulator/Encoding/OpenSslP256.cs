using System.Runtime.InteropServices;

namespace RecordKv.Simulator.Encoding;

/// <summary>
/// The P-256 group arithmetic the deterministic signer needs, from OpenSSL's libcrypto (already loaded by the BCL on
/// Linux): k·G with its precomputed tables, and scalar arithmetic modulo n. Computes an ECDSA signature for a given
/// nonce, which the BCL cannot do.
/// </summary>
internal static unsafe partial class OpenSslP256
{
    private const string Library = "libcrypto.so.3";
    private const int NidPrime256v1 = 415;

    private static readonly nint Group = CreateGroup();
    private static readonly nint Order = EcGroupGet0Order(Group);
    private static readonly nint HalfOrder = CreateHalfOrder();

    /// <summary>Signs <paramref name="hash"/> with private scalar <paramref name="secret"/> and nonce <paramref name="nonce"/>
    /// (both 32 bytes, big-endian, nonce in [1, n-1]); false when r or s is zero (the caller takes the next nonce).</summary>
    public static bool TrySign(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> hash, ReadOnlySpan<byte> nonce, Span<byte> signature)
    {
        var context = BnCtxNew();
        var point = EcPointNew(Group);
        nint k = 0, x = 0, r = 0, kInverse = 0, z = 0, d = 0, t = 0, s = 0;
        try
        {
            fixed (byte* noncePointer = nonce)
            fixed (byte* hashPointer = hash)
            fixed (byte* secretPointer = secret)
            {
                k = BnBin2Bn(noncePointer, nonce.Length, 0);
                z = BnBin2Bn(hashPointer, hash.Length, 0);
                d = BnBin2Bn(secretPointer, secret.Length, 0);
            }

            x = BnNew();
            r = BnNew();
            t = BnNew();
            s = BnNew();
            Check(EcPointMul(Group, point, k, 0, 0, context), "EC_POINT_mul");
            Check(EcPointGetAffineCoordinates(Group, point, x, 0, context), "EC_POINT_get_affine_coordinates");
            Check(BnNnmod(r, x, Order, context), "BN_nnmod");
            if (BnIsZero(r) != 0)
            {
                return false;
            }

            kInverse = BnModInverse(0, k, Order, context);
            Check(kInverse != 0 ? 1 : 0, "BN_mod_inverse");
            Check(BnNnmod(z, z, Order, context), "BN_nnmod");
            Check(BnModMul(t, r, d, Order, context), "BN_mod_mul");
            Check(BnModAdd(t, t, z, Order, context), "BN_mod_add");
            Check(BnModMul(s, kInverse, t, Order, context), "BN_mod_mul");
            if (BnIsZero(s) != 0)
            {
                return false;
            }

            if (BnCmp(s, HalfOrder) > 0)
            {
                Check(BnSub(s, Order, s), "BN_sub");
            }

            fixed (byte* output = signature)
            {
                Check(BnBn2BinPad(r, output, 32) == 32 ? 1 : 0, "BN_bn2binpad");
                Check(BnBn2BinPad(s, output + 32, 32) == 32 ? 1 : 0, "BN_bn2binpad");
            }

            return true;
        }
        finally
        {
            // The private scalar and the nonce are wiped on free.
            BnClearFree(k);
            BnClearFree(d);
            BnClearFree(kInverse);
            BnFree(z);
            BnFree(x);
            BnFree(r);
            BnFree(t);
            BnFree(s);
            EcPointFree(point);
            BnCtxFree(context);
        }
    }

    private static void Check(int result, string function)
    {
        if (result != 1)
        {
            throw new System.Security.Cryptography.CryptographicException($"OpenSSL {function} failed.");
        }
    }

    private static nint CreateGroup()
    {
        var group = EcGroupNewByCurveName(NidPrime256v1);
        return group != 0 ? group : throw new System.Security.Cryptography.CryptographicException("OpenSSL has no P-256 group.");
    }

    private static nint CreateHalfOrder()
    {
        var half = BnNew();
        Check(BnRshift1(half, Order), "BN_rshift1");
        return half;
    }

    [LibraryImport(Library, EntryPoint = "EC_GROUP_new_by_curve_name")]
    private static partial nint EcGroupNewByCurveName(int nid);

    [LibraryImport(Library, EntryPoint = "EC_GROUP_get0_order")]
    private static partial nint EcGroupGet0Order(nint group);

    [LibraryImport(Library, EntryPoint = "EC_POINT_new")]
    private static partial nint EcPointNew(nint group);

    [LibraryImport(Library, EntryPoint = "EC_POINT_free")]
    private static partial void EcPointFree(nint point);

    [LibraryImport(Library, EntryPoint = "EC_POINT_mul")]
    private static partial int EcPointMul(nint group, nint result, nint scalar, nint point, nint pointScalar, nint context);

    [LibraryImport(Library, EntryPoint = "EC_POINT_get_affine_coordinates")]
    private static partial int EcPointGetAffineCoordinates(nint group, nint point, nint x, nint y, nint context);

    [LibraryImport(Library, EntryPoint = "BN_CTX_new")]
    private static partial nint BnCtxNew();

    [LibraryImport(Library, EntryPoint = "BN_CTX_free")]
    private static partial void BnCtxFree(nint context);

    [LibraryImport(Library, EntryPoint = "BN_new")]
    private static partial nint BnNew();

    [LibraryImport(Library, EntryPoint = "BN_free")]
    private static partial void BnFree(nint value);

    [LibraryImport(Library, EntryPoint = "BN_clear_free")]
    private static partial void BnClearFree(nint value);

    [LibraryImport(Library, EntryPoint = "BN_bin2bn")]
    private static partial nint BnBin2Bn(byte* bytes, int length, nint result);

    [LibraryImport(Library, EntryPoint = "BN_bn2binpad")]
    private static partial int BnBn2BinPad(nint value, byte* output, int length);

    [LibraryImport(Library, EntryPoint = "BN_nnmod")]
    private static partial int BnNnmod(nint result, nint value, nint modulus, nint context);

    [LibraryImport(Library, EntryPoint = "BN_mod_inverse")]
    private static partial nint BnModInverse(nint result, nint value, nint modulus, nint context);

    [LibraryImport(Library, EntryPoint = "BN_mod_mul")]
    private static partial int BnModMul(nint result, nint a, nint b, nint modulus, nint context);

    [LibraryImport(Library, EntryPoint = "BN_mod_add")]
    private static partial int BnModAdd(nint result, nint a, nint b, nint modulus, nint context);

    [LibraryImport(Library, EntryPoint = "BN_sub")]
    private static partial int BnSub(nint result, nint a, nint b);

    [LibraryImport(Library, EntryPoint = "BN_cmp")]
    private static partial int BnCmp(nint a, nint b);

    [LibraryImport(Library, EntryPoint = "BN_is_zero")]
    private static partial int BnIsZero(nint value);

    [LibraryImport(Library, EntryPoint = "BN_rshift1")]
    private static partial int BnRshift1(nint result, nint value);
}
