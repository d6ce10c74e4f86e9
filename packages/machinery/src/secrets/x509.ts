// reflect-metadata must be evaluated before @peculiar/x509: its DI container looks for the polyfill at import.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";

// Node's WebCrypto does Ed25519, ECDSA and RSA, which is all Talos uses.
x509.cryptoProvider.set(globalThis.crypto);

/** `@peculiar/x509`, initialised. Every module of this package imports it from here, never directly. */
export { x509 };
