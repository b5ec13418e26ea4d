/**
 * `make(key)` computed once per key object and kept as long as the key lives (a WeakMap): for values
 * derived from an immutable object, such as a loaded sweep's kernel image or a data set's bounds.
 */
export function perObject<K extends object, V>(make: (key: K) => V): (key: K) => V {
  const made = new WeakMap<K, V>();
  return (key) => {
    let value = made.get(key);
    if (value === undefined) {
      value = make(key);
      made.set(key, value);
    }
    return value;
  };
}
