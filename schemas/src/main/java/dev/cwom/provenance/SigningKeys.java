package dev.cwom.provenance;

import dev.cwom.auth.SecretFiles;
import dev.cwom.json.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * The operator's Ed25519 attestation keys as PEM files: the private key as PKCS#8 ({@code BEGIN PRIVATE KEY}), the
 * public key as SubjectPublicKeyInfo ({@code BEGIN PUBLIC KEY}), both what {@code openssl genpkey -algorithm ed25519}
 * and {@code openssl pkey -pubout} write, so an operator can make and check them with standard tools.
 *
 * <p>A key's id is {@code sha256:<hex>} of its public key's DER encoding (what {@code openssl pkey -pubin -outform DER
 * | sha256sum} prints): derived, never chosen, so a verifier can tell which of several published keys signed.
 */
public final class SigningKeys {

    public static final String ALGORITHM = "Ed25519";

    private SigningKeys() {
    }

    /** A signing key: the key pair and the id of its public half. */
    public record SigningKey(String keyId, PrivateKey privateKey, PublicKey publicKey) {
    }

    /** A new random Ed25519 key pair. */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JDK has no Ed25519 (needs Java 15 or later)", e);
        }
    }

    /**
     * The signing key in {@code file}; when the file does not exist, a new key is generated and written there first,
     * readable by its owner only, with the public key next to it ({@code <file>.pub}).
     */
    public static SigningKey loadOrCreate(Path file) throws IOException {
        if (Files.notExists(file)) {
            KeyPair pair = generate();
            SecretFiles.writeOwnerOnly(file, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(file.resolveSibling(file.getFileName() + ".pub"), publicPem(pair.getPublic()),
                    StandardCharsets.UTF_8);
        }
        return load(file);
    }

    /** The signing key in a PKCS#8 PEM file; its public half is derived from it. */
    public static SigningKey load(Path file) throws IOException {
        byte[] der = der(Files.readString(file, StandardCharsets.UTF_8), "PRIVATE KEY", file.toString());
        try {
            PrivateKey privateKey = KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
            PublicKey publicKey = publicKeyOf(der);
            return new SigningKey(keyId(publicKey), privateKey, publicKey);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " holds no Ed25519 private key in PKCS#8 PEM ("
                    + e.getMessage() + "); make one with: openssl genpkey -algorithm ed25519 -out " + file, e);
        }
    }

    /** The public key in a SubjectPublicKeyInfo PEM text ({@code BEGIN PUBLIC KEY}). */
    public static PublicKey parsePublicKey(String pem) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(
                    der(pem, "PUBLIC KEY", "the public key")));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** {@code sha256:<hex>} of the public key's DER (SubjectPublicKeyInfo) encoding. */
    public static String keyId(PublicKey key) {
        return Digests.sha256(key.getEncoded());
    }

    /** The public key as PEM ({@code BEGIN PUBLIC KEY}), as {@code openssl pkey -pubout} writes it. */
    public static String publicPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    /**
     * The public half of a PKCS#8 Ed25519 key. The JDK offers no way to derive it from a {@code PrivateKey}; an
     * Ed25519 private key is a 32-byte seed (RFC 8032) from which the public key follows, and the JDK's generator takes
     * that seed from its random source, so generating with the seed as the "random" gives the same pair back.
     */
    private static PublicKey publicKeyOf(byte[] pkcs8) throws GeneralSecurityException {
        // RFC 8410 version 1 (what openssl and the JDK write): 16 bytes of structure, then the 32-byte seed last.
        if (pkcs8.length != 48) {
            throw new InvalidKeySpecException("expected a 48-byte PKCS#8 v1 Ed25519 key, got " + pkcs8.length
                    + " bytes");
        }
        byte[] seed = Arrays.copyOfRange(pkcs8, 16, 48);
        KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
        generator.initialize(NamedParameterSpec.ED25519, new FixedRandom(seed));
        return generator.generateKeyPair().getPublic();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static byte[] der(String pem, String type, String source) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException(source + " has no " + begin + " block");
        }
        return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    }

    /** Hands out a fixed seed: the JDK's Ed25519 generator takes the private key's 32 bytes from its random. */
    private static final class FixedRandom extends SecureRandom {
        private final byte[] seed;

        FixedRandom(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
        }
    }
}
