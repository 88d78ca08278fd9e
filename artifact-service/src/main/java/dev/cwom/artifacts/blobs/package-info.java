/**
 * The content-addressed blob store for artifact bodies: {@code PUT /blobs}, {@code GET|HEAD /blobs/{digest}},
 * and {@link dev.cwom.artifacts.blobs.BlobStore} for code that checks stored bodies against their digests.
 */
@NullMarked
package dev.cwom.artifacts.blobs;

import org.jspecify.annotations.NullMarked;
