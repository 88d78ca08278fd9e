package dev.cwom.serde;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Walks a record's bytes under its writer schema without keeping anything, before the real read allocates for what
 * the bytes declare. Every declared length and block count is checked against the bytes still present: a string or
 * bytes value cannot be longer than the rest of the record, nor can an array or map hold more items than there are
 * bytes left (each item takes one at least). Items that take no bytes at all (null, empty records) are bounded by
 * {@link #MAX_EMPTY_ITEMS}, and nesting by {@link #MAX_DEPTH}, so that neither a huge count nor a deep recursive
 * schema can cost more time or stack than the bytes are worth. Avro's own limits
 * ({@code org.apache.avro.limits.*.maxLength}) default to about 2 GiB, far above any record this pipeline carries.
 */
final class AvroStructureCheck {

    /** The most items of a type that encodes in zero bytes, across one record. */
    static final long MAX_EMPTY_ITEMS = 10_000;
    /** The deepest nesting of records, arrays, maps and unions. */
    static final int MAX_DEPTH = 64;

    private final BinaryDecoder in;
    private final ByteArrayInputStream bytes;
    private long emptyItems;

    /** A structure the bytes cannot have under the schema, with what is wrong. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private AvroStructureCheck(byte[] data, int offset) {
        this.bytes = new ByteArrayInputStream(data, offset, data.length - offset);
        // The direct decoder reads ahead nothing, so bytes.available() is exactly what is left.
        this.in = DecoderFactory.get().directBinaryDecoder(bytes, null);
    }

    /** Checks that {@code data} from {@code offset} on is exactly one value of {@code schema}. */
    static void check(Schema schema, byte[] data, int offset) throws Invalid, IOException {
        AvroStructureCheck check = new AvroStructureCheck(data, offset);
        check.value(schema, 0);
        if (check.bytes.available() > 0) {
            throw new Invalid(check.bytes.available() + " trailing bytes after a complete record");
        }
    }

    private void value(Schema schema, int depth) throws Invalid, IOException {
        if (depth > MAX_DEPTH) {
            throw new Invalid("nested deeper than " + MAX_DEPTH + " levels");
        }
        switch (schema.getType()) {
            case RECORD -> {
                for (Schema.Field field : schema.getFields()) {
                    value(field.schema(), depth + 1);
                }
            }
            case ENUM -> {
                int index = in.readEnum();
                if (index < 0 || index >= schema.getEnumSymbols().size()) {
                    throw new Invalid("enum index " + index + " of " + schema.getFullName() + ", which has "
                            + schema.getEnumSymbols().size() + " symbols");
                }
            }
            case ARRAY -> {
                for (long n = block(in.readArrayStart(), schema.getElementType()); n > 0;
                        n = block(in.arrayNext(), schema.getElementType())) {
                    for (long i = 0; i < n; i++) {
                        value(schema.getElementType(), depth + 1);
                    }
                }
            }
            case MAP -> {
                for (long n = block(in.readMapStart(), schema.getValueType()); n > 0;
                        n = block(in.mapNext(), schema.getValueType())) {
                    for (long i = 0; i < n; i++) {
                        skipLength("map key");
                        value(schema.getValueType(), depth + 1);
                    }
                }
            }
            case UNION -> {
                int index = in.readIndex();
                if (index < 0 || index >= schema.getTypes().size()) {
                    throw new Invalid("union branch " + index + " of " + schema.getTypes().size());
                }
                value(schema.getTypes().get(index), depth + 1);
            }
            case FIXED -> skip(schema.getFixedSize(), "fixed " + schema.getFullName());
            case STRING -> skipLength("string");
            case BYTES -> skipLength("bytes");
            case INT -> in.readInt();
            case LONG -> in.readLong();
            case FLOAT -> skip(4, "float");
            case DOUBLE -> skip(8, "double");
            case BOOLEAN -> in.readBoolean();
            case NULL -> {
            }
        }
    }

    /** A block's item count, refused when the bytes left cannot hold that many items. */
    private long block(long count, Schema items) throws Invalid {
        if (count < 0) {
            throw new Invalid("a negative block count (" + count + ")");
        }
        if (minSize(items, 0) > 0) {
            if (count > bytes.available()) {
                throw new Invalid("a block of " + count + " items with " + bytes.available() + " bytes left");
            }
        } else {
            emptyItems += count;
            if (emptyItems > MAX_EMPTY_ITEMS) {
                throw new Invalid("more than " + MAX_EMPTY_ITEMS + " items that take no bytes");
            }
        }
        return count;
    }

    private void skipLength(String what) throws Invalid, IOException {
        long length = in.readLong();
        if (length < 0) {
            throw new Invalid("a " + what + " of negative length " + length);
        }
        skip(length, what);
    }

    private void skip(long length, String what) throws Invalid, IOException {
        if (length > bytes.available()) {
            throw new Invalid("a " + what + " of " + length + " bytes with " + bytes.available() + " bytes left");
        }
        in.skipFixed((int) length);
    }

    /** The fewest bytes a value of {@code schema} takes: zero only for null, empty records and fixed(0). */
    private static int minSize(Schema schema, int depth) {
        return switch (schema.getType()) {
            case NULL -> 0;
            case FIXED -> schema.getFixedSize() > 0 ? 1 : 0;
            case RECORD -> depth > MAX_DEPTH ? 1
                    : schema.getFields().stream().anyMatch(f -> minSize(f.schema(), depth + 1) > 0) ? 1 : 0;
            default -> 1;
        };
    }

    static boolean isTruncation(IOException e) {
        return e instanceof EOFException;
    }
}
