// Public API of the secrets and PKI module (`@talos/machinery/secrets`).

export { decodeBase64Strict, decodeBase64UrlStrict, encodeBase64, encodeBase64Url } from "./base64.ts";
export {
  type CertificateAndKeyPem,
  decodeBase64Text,
  decodeCertAndKey,
  type EncodedCertAndKey,
  encodeCertAndKey,
} from "./certificate-and-key.ts";
export {
  type CertificateAuthority,
  type CertificateAuthorityOptions,
  createCertificateAuthority,
  loadCertificateAuthority,
} from "./certificate-authority.ts";
export type { ExtKeyUsage, KeyUsage, SanOptions, SubjectOptions } from "./certificate-builder.ts";
export {
  type CertificateRequestInfo,
  type CertificateRequestOptions,
  createCertificateRequest,
  parseCertificateRequest,
  type SignCertificateRequestOptions,
  signCertificateRequest,
} from "./certificate-request.ts";
export { decodeSecretsBundle } from "./decode-secrets-bundle.ts";
export { encodeSecretsBundle } from "./encode-secrets-bundle.ts";
export {
  type CertificateInfo,
  certificateSpkiHash,
  inspectCertificate,
  type NameInfo,
  type VerifyOptions,
  verifyCertificate,
} from "./inspect-certificate.ts";
export { canonicalIPAddress, formatIPAddress, parseIPAddress } from "./ip-address.ts";
export {
  type CertificateOptions,
  type ClientCertificateOptions,
  DEFAULT_CERTIFICATE_LIFETIME_MS,
  type IssueCertificateOptions,
  issueCertificate,
  issueClientCertificate,
  issueServerCertificate,
  type ServerCertificateOptions,
} from "./issue-certificate.ts";
export { decodePem, decodePemBlocks, encodePem, PEM_LABEL, type PemBlock } from "./pem.ts";
export { isPkiError, PkiError } from "./pki-error.ts";
export {
  DEFAULT_RSA_BITS,
  decodePrivateKeyPem,
  decodePublicKeyPem,
  type EcCurve,
  encodePrivateKeyPem,
  encodePublicKeyPem,
  type GenerateKeyOptions,
  generatePrivateKey,
  type KeyAlgorithm,
  type PrivateKey,
  privateKeyPkcs8,
  publicKeySpki,
  type SignatureHash,
} from "./private-key.ts";
export {
  type ExistingSecrets,
  type GenerateSecretsBundleOptions,
  generateSecretsBundle,
  type SecretsBundle,
} from "./secrets-bundle.ts";
export { secretsBundleFromConfig } from "./secrets-bundle-from-config.ts";
export { generateToken, randomTokenString, TOKEN_PATTERN } from "./token.ts";
