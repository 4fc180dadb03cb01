package dev.holdfast.lock.redisson.faults;

/**
 * One entry of the fenced store's record, in the order the store applied them: every write it
 * accepted or refused, and every read it refused. Written by the store's scripts as one
 * tab-separated line.
 *
 * @param op {@code read} or {@code write}
 * @param accepted whether the store let it through
 * @param product the product
 * @param token the fencing token the caller presented
 * @param owner the call id of the caller
 * @param nanos the caller's {@link System#nanoTime()} when it sent the request
 * @param stock for a write, the stock it set or would have set; for a read, the stock the store
 *     held
 * @param quantity the units the caller's order deducts from this product (negative: a restock)
 * @param reason for a refusal, why: {@code stale} (a higher token was seen), {@code duplicate} (the
 *     same token came from another owner), {@code superseded} (another holder read or wrote since
 *     this one read); {@code -} otherwise
 */
record StoreRecord(
    String op,
    boolean accepted,
    int product,
    long token,
    String owner,
    long nanos,
    long stock,
    int quantity,
    String reason) {

  static final String READ = "read";
  static final String WRITE = "write";

  boolean isAcceptedWrite() {
    return accepted && op.equals(WRITE);
  }

  static StoreRecord parse(String line) {
    String[] fields = line.split("\t", -1);
    if (fields.length != 9) {
      throw new IllegalArgumentException("not a store record (9 tab-separated fields): " + line);
    }
    return new StoreRecord(
        fields[0],
        fields[1].equals("accepted"),
        Integer.parseInt(fields[2]),
        Long.parseLong(fields[3]),
        fields[4],
        Long.parseLong(fields[5]),
        Long.parseLong(fields[6]),
        Integer.parseInt(fields[7]),
        fields[8]);
  }
}
