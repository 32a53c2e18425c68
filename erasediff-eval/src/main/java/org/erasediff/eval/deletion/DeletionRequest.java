package org.erasediff.eval.deletion;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.erasediff.core.data.LabelledImages;

/**
 * What a deletion request named: the data set it refers to and every image by sample id, class
 * and content hash, so the request can be checked against the data long after the fact.
 *
 * <p>An image's hash is the hex SHA-256 of its raw 8-bit pixels, channels first, rows top to
 * bottom ({@code C·H·W} bytes, the layout of an idx file): for MNIST training image {@code id},
 * the 784 bytes at offset {@code 16 + 784·id} of the uncompressed {@code train-images-idx3-ubyte}.
 *
 * @param data        the data set's name
 * @param dataSha256  the data set's content hash ({@link LabelledImages#contentHash()})
 * @param description how the request was made (e.g. "8 sample ids of mnist-train")
 * @param images      the images, in the data set's order
 */
public record DeletionRequest(@JsonProperty("data") String data, @JsonProperty("dataSha256") String dataSha256,
                              @JsonProperty("description") String description,
                              @JsonProperty("images") List<RequestedImage> images) {

    /**
     * One image of the request.
     *
     * @param id     its sample id
     * @param label  its class
     * @param sha256 hex SHA-256 of its raw pixels
     */
    public record RequestedImage(@JsonProperty("id") int id, @JsonProperty("label") int label,
                                 @JsonProperty("sha256") String sha256) {
    }

    /** Validates and copies the list. */
    public DeletionRequest {
        if (images == null || images.isEmpty()) {
            throw new IllegalArgumentException("a deletion request names at least one image");
        }
        images = List.copyOf(images);
    }

    /**
     * The request for the images of {@code forget}.
     *
     * @param forget      the images to forget (a forget set)
     * @param data        the data set they come from
     * @param description how the request was made
     */
    public static DeletionRequest of(LabelledImages forget, LabelledImages data, String description) {
        List<RequestedImage> images = new ArrayList<>();
        for (int i = 0; i < forget.size(); i++) {
            images.add(new RequestedImage(forget.id(i), forget.label(i), imageSha256(forget, i)));
        }
        return new DeletionRequest(data.name(), data.contentHash(), description, images);
    }

    /** The sample ids, in order. */
    public int[] ids() {
        return images.stream().mapToInt(RequestedImage::id).toArray();
    }

    /** Hex SHA-256 of the raw pixels of image {@code i} of {@code images}. */
    public static String imageSha256(LabelledImages images, int i) {
        byte[] px = new byte[images.imageSize()];
        for (int k = 0; k < px.length; k++) {
            px[k] = (byte) images.pixel(i, k);
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(px));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
