// Placeholder replaced by the storage layer's golden-database setup.
export default function setup(): void {}
