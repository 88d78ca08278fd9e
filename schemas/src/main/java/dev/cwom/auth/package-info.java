/**
 * API tokens for machines, shared by every HTTP surface of the pipeline (the Spring services and the schema
 * registry): tokens are configured only as SHA-256 hashes with a principal name and scopes, and checked in constant
 * time. No Spring here, so the registry can use it as well.
 */
@NullMarked
package dev.cwom.auth;

import org.jspecify.annotations.NullMarked;
