/* The speed of libsecp256k1's own ECDSA verification on this machine, with no .NET in between: the ceiling for
 * RecordKv's k256 verify (CryptoBenchmarks.K256Verify). Built and run by scripts/bench-secp256k1.sh against the
 * Debian library (libsecp256k1.so.1); the few declarations it needs are written out here because Debian's -dev
 * package (the header) is not among our dependencies. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

typedef struct secp256k1_context_struct secp256k1_context;
typedef struct { unsigned char data[64]; } secp256k1_pubkey;
typedef struct { unsigned char data[64]; } secp256k1_ecdsa_signature;

secp256k1_context *secp256k1_context_create(unsigned int flags);
int secp256k1_ec_pubkey_create(const secp256k1_context *ctx, secp256k1_pubkey *pubkey, const unsigned char *seckey);
int secp256k1_ecdsa_sign(const secp256k1_context *ctx, secp256k1_ecdsa_signature *sig, const unsigned char *msghash32,
                         const unsigned char *seckey, const void *noncefp, const void *ndata);
int secp256k1_ecdsa_signature_serialize_compact(const secp256k1_context *ctx, unsigned char *output64,
                                                const secp256k1_ecdsa_signature *sig);
int secp256k1_ecdsa_signature_parse_compact(const secp256k1_context *ctx, secp256k1_ecdsa_signature *sig,
                                            const unsigned char *input64);
int secp256k1_ecdsa_signature_normalize(const secp256k1_context *ctx, secp256k1_ecdsa_signature *sigout,
                                        const secp256k1_ecdsa_signature *sigin);
int secp256k1_ecdsa_verify(const secp256k1_context *ctx, const secp256k1_ecdsa_signature *sig,
                           const unsigned char *msghash32, const secp256k1_pubkey *pubkey);

/* SECP256K1_CONTEXT_VERIFY | SECP256K1_CONTEXT_SIGN as the 0.2 header defines them. */
#define CONTEXT_VERIFY_AND_SIGN 0x0301u

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    int iterations = argc > 1 ? atoi(argv[1]) : 20000;
    unsigned char seckey[32], hash[32], compact[64];
    for (int i = 0; i < 32; i++) { seckey[i] = (unsigned char)(i + 1); hash[i] = (unsigned char)(0xA5 ^ i); }
    secp256k1_context *ctx = secp256k1_context_create(CONTEXT_VERIFY_AND_SIGN);
    secp256k1_pubkey pubkey;
    secp256k1_ecdsa_signature signature, parsed;
    if (!secp256k1_ec_pubkey_create(ctx, &pubkey, seckey) || !secp256k1_ecdsa_sign(ctx, &signature, hash, seckey, NULL, NULL)) {
        fprintf(stderr, "secp256k1: key or signature setup failed\n");
        return 1;
    }
    secp256k1_ecdsa_signature_serialize_compact(ctx, compact, &signature);

    int valid = 0;
    double start = seconds();
    for (int i = 0; i < iterations; i++) valid += secp256k1_ecdsa_verify(ctx, &signature, hash, &pubkey);
    double verifyOnly = seconds() - start;

    start = seconds();
    for (int i = 0; i < iterations; i++) {
        secp256k1_ecdsa_signature_parse_compact(ctx, &parsed, compact);
        secp256k1_ecdsa_signature_normalize(ctx, &parsed, &parsed);
        valid += secp256k1_ecdsa_verify(ctx, &parsed, hash, &pubkey);
    }
    double parseAndVerify = seconds() - start;

    if (valid != 2 * iterations) {
        fprintf(stderr, "secp256k1: %d of %d verifications failed\n", 2 * iterations - valid, 2 * iterations);
        return 1;
    }
    printf("{\"iterations\":%d,\"verifyPerSecond\":%.0f,\"verifyMicros\":%.2f,\"parseNormalizeVerifyPerSecond\":%.0f,\"parseNormalizeVerifyMicros\":%.2f}\n",
           iterations, iterations / verifyOnly, verifyOnly * 1e6 / iterations, iterations / parseAndVerify, parseAndVerify * 1e6 / iterations);
    return 0;
}
