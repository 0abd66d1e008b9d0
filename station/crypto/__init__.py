"""SM2/SM3/SM4 and 3DES primitives, the card's MACs and session keys, diversification,
and the key providers (software key store, PSAM, encryption machine)."""
