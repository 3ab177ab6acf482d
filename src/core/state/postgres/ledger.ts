import {
  FOLLOWED_STATES,
  LEDGER_STATUSES,
  type Ledger,
  type LedgerStatus,
  type OrderRef,
  type ReturnRef,
  type ShipmentLine,
  STATUS_OF_STATE,
} from '../../ledger/ledger.js';
import {
  deliveredChange,
  fromReceiptRow,
  fromReturnRow,
  fromRow,
  fromShipmentRow,
  nameForms,
  nextOrder,
  nextReturn,
  type OrderChange,
  type OrderRow,
  type ReceiptRow,
  type ReturnChange,
  type ReturnRow,
  type ShipmentRow,
} from '../../ledger/rows.js';
import type { Session } from './session.js';

/**
 * A store's ledger in PostgreSQL: the SQLite ledger's rows and rules (rows.ts), every row keyed by
 * the shop. Each call runs alone on the run's connection (Session.exclusive), and a call that
 * writes more than one row does so in one transaction, as the SQLite ledger does.
 */
export function createPostgresLedger(
  session: Session,
  shop: string,
  options: { readonly: boolean; onClose: () => Promise<void> },
): Ledger {
  const s = session;
  const readOnly = options.readonly;
  const writing = <T>(work: () => Promise<T>): Promise<T> => {
    if (readOnly) return Promise.reject(new Error('the ledger was opened read-only'));
    return s.exclusive(work);
  };
  const reading = <T>(work: () => Promise<T>): Promise<T> => s.exclusive(work);

  const getRow = (orderId: string) =>
    s.one<OrderRow>('SELECT * FROM dsync.orders WHERE shop = $1 AND order_id = $2', [shop, orderId]);
  const addActivity = (orderId: string, at: string, action: string, detail: string | null) =>
    s.run('INSERT INTO dsync.activity (shop, order_id, at, action, detail) VALUES ($1, $2, $3, $4, $5)', [
      shop,
      orderId,
      at,
      action,
      detail,
    ]);
  const write = async (
    order: OrderRef,
    at: Date,
    change: OrderChange,
    activity: { action: string; detail: string | null } | undefined,
    prev?: OrderRow,
  ) => {
    const before = prev ?? (await getRow(order.orderId));
    const n = nextOrder(order, before ? fromRow(before) : undefined, change, at);
    await s.transaction(async () => {
      await s.run(
        `INSERT INTO dsync.orders (shop, order_id, name, status, reason, message, delivered_hash,
           cancelled_delivered, order_updated_at, last_event, last_event_id, first_seen_at, changed_at,
           warehouse_state, warehouse_reason, failures, delivered_lines)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14, $15, $16)
         ON CONFLICT (shop, order_id) DO UPDATE SET
           name = excluded.name, status = excluded.status, reason = excluded.reason,
           message = excluded.message, delivered_hash = excluded.delivered_hash,
           cancelled_delivered = excluded.cancelled_delivered, order_updated_at = excluded.order_updated_at,
           last_event = excluded.last_event, last_event_id = excluded.last_event_id,
           changed_at = excluded.changed_at, warehouse_state = excluded.warehouse_state,
           warehouse_reason = excluded.warehouse_reason, failures = excluded.failures,
           delivered_lines = excluded.delivered_lines`,
        [
          shop,
          n.orderId,
          n.name,
          n.status,
          n.reason,
          n.message,
          n.deliveredHash,
          n.cancelledDelivered,
          n.orderUpdatedAt,
          n.lastEvent,
          n.lastEventId,
          n.at,
          n.warehouse,
          n.warehouseReason,
          n.failures,
          n.deliveredLines,
        ],
      );
      if (activity) await addActivity(order.orderId, n.at, activity.action, activity.detail);
    });
  };
  const setUpdatedAt = (order: OrderRef) =>
    s.run('UPDATE dsync.orders SET order_updated_at = $1 WHERE shop = $2 AND order_id = $3', [
      order.updatedAt,
      shop,
      order.orderId,
    ]);

  const saveShipment = (
    order: OrderRef,
    shipment: { key: string; trackingNumber: string; lines: ShipmentLine[] },
    state: { state: 'pending' | 'applied' | 'failed'; fulfillmentId: string | null; message: string | null },
    at: Date,
  ) =>
    s.run(
      `INSERT INTO dsync.shipments (shop, key, order_id, order_name, tracking_number, lines, state,
         fulfillment_id, message, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
       ON CONFLICT (shop, key) DO UPDATE SET
         order_name = excluded.order_name, state = excluded.state,
         fulfillment_id = COALESCE(excluded.fulfillment_id, shipments.fulfillment_id),
         message = excluded.message, updated_at = excluded.updated_at`,
      [
        shop,
        shipment.key,
        order.orderId,
        order.name,
        shipment.trackingNumber,
        JSON.stringify(shipment.lines),
        state.state,
        state.fulfillmentId,
        state.message,
        at.toISOString(),
      ],
    );

  const getReturnRow = (returnId: string) =>
    s.one<ReturnRow>('SELECT * FROM dsync.returns WHERE shop = $1 AND return_id = $2', [shop, returnId]);
  const saveReturn = async (ret: ReturnRef, change: ReturnChange, at: Date, prev?: ReturnRow | null) => {
    const r = nextReturn(
      ret,
      prev === undefined ? await getReturnRow(ret.returnId) : (prev ?? undefined),
      change,
      at,
    );
    await s.run(
      `INSERT INTO dsync.returns (shop, return_id, name, order_id, order_name, status, warehouse_state,
         delivered_hash, last_event, last_event_id, order_updated_at, first_seen_at, changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
       ON CONFLICT (shop, return_id) DO UPDATE SET
         name = excluded.name, order_id = excluded.order_id, order_name = excluded.order_name,
         status = excluded.status, warehouse_state = excluded.warehouse_state,
         delivered_hash = excluded.delivered_hash, last_event = excluded.last_event,
         last_event_id = excluded.last_event_id, order_updated_at = excluded.order_updated_at,
         changed_at = excluded.changed_at`,
      [
        shop,
        r.returnId,
        r.name,
        r.orderId,
        r.orderName,
        r.status,
        r.warehouse,
        r.deliveredHash,
        r.lastEvent,
        r.lastEventId,
        r.updatedAt,
        r.at,
      ],
    );
  };
  const addReturnActivity = (returnId: string, at: string, action: string, detail: string | null) =>
    s.run(
      'INSERT INTO dsync.return_activity (shop, return_id, at, action, detail) VALUES ($1, $2, $3, $4, $5)',
      [shop, returnId, at, action, detail],
    );
  const setReceiptState = (key: string, state: string, message: string | null, at: string) =>
    s.run(
      'UPDATE dsync.return_receipts SET state = $1, message = $2, updated_at = $3 WHERE shop = $4 AND key = $5',
      [state, message, at, shop, key],
    );
  const saveReturnIfNew = async (ret: ReturnRef, at: Date) => {
    const prev = await getReturnRow(ret.returnId);
    if (!prev) await saveReturn(ret, {}, at, null);
  };

  const getOrder = async (orderId: string) => {
    const row = await getRow(orderId);
    return row ? fromRow(row) : undefined;
  };
  const getReturn = async (returnId: string) => {
    const row = await getReturnRow(returnId);
    return row ? fromReturnRow(row) : undefined;
  };

  return {
    location: `${session.target.display} (${shop})`,
    get: (orderId) => reading(() => getOrder(orderId)),
    find: (ref) =>
      reading(async () => {
        const text = ref.trim();
        if (text.startsWith('gid://')) return getOrder(text);
        const [a, b] = nameForms(text);
        const byName = await s.one<OrderRow>(
          `SELECT * FROM dsync.orders WHERE shop = $1 AND (name = $2 OR name = $3)
            ORDER BY changed_at DESC LIMIT 1`,
          [shop, a, b],
        );
        if (byName) return fromRow(byName);
        if (/^\d+$/.test(text)) return getOrder(`gid://shopify/Order/${text}`);
        return undefined;
      }),
    recordDelivered: (order, event, state, at) =>
      writing(() => {
        const delivered = deliveredChange(event, state);
        return write(order, at, delivered.change, delivered.activity);
      }),
    recordSkip: (order, reason, detail, at) =>
      writing(async () => {
        const prev = await getRow(order.orderId);
        const same = prev && prev.status === 'skipped' && prev.reason === reason;
        await write(
          order,
          at,
          { status: 'skipped', reason, message: detail },
          same ? undefined : { action: 'skipped', detail: `${reason}: ${detail}` },
          prev,
        );
      }),
    recordFailure: (order, message, at) =>
      writing(async () => {
        const prev = await getRow(order.orderId);
        const failures = (prev?.failures ?? 0) + 1;
        await write(
          order,
          at,
          { status: 'error', message, failures },
          { action: 'error', detail: message },
          prev,
        );
        return failures;
      }),
    recordSettled: (order, state, detail, at) =>
      writing(async () => {
        const prev = await getRow(order.orderId);
        const status = STATUS_OF_STATE[state];
        const same = prev && prev.status === status;
        await write(
          order,
          at,
          { status, message: detail, warehouse: state },
          same ? undefined : { action: state === 'active' ? 'kept' : state, detail },
          prev,
        );
      }),
    note: (order, action, detail, at) =>
      writing(async () => {
        await addActivity(order.orderId, at.toISOString(), action, detail);
      }),
    recordResolved: (order, at) =>
      writing(async () => {
        const prev = await getRow(order.orderId);
        const state = prev?.warehouse_state ?? 'none';
        await write(
          order,
          at,
          { status: STATUS_OF_STATE[state], reason: prev?.reason ?? null },
          { action: 'resolved', detail: `back to ${STATUS_OF_STATE[state]}` },
          prev,
        );
      }),
    recordResent: (order, eventId, at) =>
      writing(async () => {
        const prev = await getRow(order.orderId);
        await s.transaction(async () => {
          if (prev) await setUpdatedAt(order);
          await addActivity(order.orderId, at.toISOString(), 'resent', `event ${eventId}`);
        });
      }),
    touch: (order) =>
      writing(async () => {
        await setUpdatedAt(order);
      }),
    followedCount: () =>
      reading(async () => {
        const row = await s.one<{ n: number }>(
          'SELECT COUNT(*)::int AS n FROM dsync.orders WHERE shop = $1 AND warehouse_state = ANY($2::text[])',
          [shop, [...FOLLOWED_STATES]],
        );
        return row?.n ?? 0;
      }),
    failingIds: () =>
      reading(async () => {
        const rows = await s.rows<{ order_id: string }>(
          "SELECT order_id FROM dsync.orders WHERE shop = $1 AND status = 'error' ORDER BY changed_at",
          [shop],
        );
        return rows.map((row) => row.order_id);
      }),
    deliveredSince: (since) =>
      reading(async () => {
        const rows = await s.rows<OrderRow>(
          `SELECT o.* FROM dsync.orders o
             JOIN (SELECT order_id, MIN(at) AS first_at FROM dsync.activity
                    WHERE shop = $1 AND at >= $2 AND action LIKE 'order.%' GROUP BY order_id) a
               ON a.order_id = o.order_id
            WHERE o.shop = $1 AND o.last_event_id IS NOT NULL
            ORDER BY a.first_at, o.order_id`,
          [shop, since.toISOString()],
        );
        return rows.map(fromRow);
      }),
    list: (filter = {}) =>
      reading(async () => {
        const limit = filter.limit ?? null;
        const rows = filter.status
          ? await s.rows<OrderRow>(
              `SELECT * FROM dsync.orders WHERE shop = $1 AND status = $2
                ORDER BY changed_at DESC, order_id DESC LIMIT $3`,
              [shop, filter.status, limit],
            )
          : await s.rows<OrderRow>(
              'SELECT * FROM dsync.orders WHERE shop = $1 ORDER BY changed_at DESC, order_id DESC LIMIT $2',
              [shop, limit],
            );
        return rows.map(fromRow);
      }),
    counts: () =>
      reading(async () => {
        const out = Object.fromEntries(LEDGER_STATUSES.map((st) => [st, 0])) as Record<LedgerStatus, number>;
        const rows = await s.rows<{ status: LedgerStatus; n: number }>(
          'SELECT status, COUNT(*)::int AS n FROM dsync.orders WHERE shop = $1 GROUP BY status',
          [shop],
        );
        for (const row of rows) out[row.status] = row.n;
        return out;
      }),
    activity: (orderId, limit = 200) =>
      reading(async () => {
        const rows = await s.rows<{ at: string; order_id: string; action: string; detail: string | null }>(
          `SELECT at, order_id, action, detail FROM dsync.activity WHERE shop = $1 AND order_id = $2
            ORDER BY id DESC LIMIT $3`,
          [shop, orderId, limit],
        );
        const name = (await getRow(orderId))?.name ?? '';
        return rows.reverse().map((row) => ({
          at: row.at,
          orderId: row.order_id,
          name,
          action: row.action,
          detail: row.detail,
        }));
      }),
    shipment: (key) =>
      reading(async () => {
        const row = await s.one<ShipmentRow>('SELECT * FROM dsync.shipments WHERE shop = $1 AND key = $2', [
          shop,
          key,
        ]);
        return row ? fromShipmentRow(row) : undefined;
      }),
    recordShipmentIntent: (order, shipment, at) =>
      writing(async () => {
        await saveShipment(order, shipment, { state: 'pending', fulfillmentId: null, message: null }, at);
      }),
    recordShipmentApplied: (order, shipment, state, detail, at) =>
      writing(async () => {
        const prev = await getRow(order.orderId);
        await s.transaction(async () => {
          await saveShipment(
            order,
            shipment,
            { state: 'applied', fulfillmentId: shipment.fulfillmentId, message: null },
            at,
          );
          await write(
            order,
            at,
            { status: state, message: detail, warehouse: state },
            { action: 'shipment', detail },
            prev,
          );
        });
      }),
    recordShipmentFailed: (order, shipment, message, at) =>
      writing(async () => {
        const when = at.toISOString();
        const detail = `tracking ${shipment.trackingNumber}: ${message}`;
        const prev = await getRow(order.orderId);
        await s.transaction(async () => {
          await saveShipment(order, shipment, { state: 'failed', fulfillmentId: null, message }, at);
          if (prev) {
            // The order's status belongs to its life with the warehouse: only the detail changes.
            await s.run(
              'UPDATE dsync.orders SET message = $1, changed_at = $2 WHERE shop = $3 AND order_id = $4',
              [detail, when, shop, order.orderId],
            );
            await addActivity(order.orderId, when, 'shipment_failed', detail);
          } else {
            await write(
              order,
              at,
              { status: 'error', message: detail },
              { action: 'shipment_failed', detail },
              prev,
            );
          }
        });
      }),
    shipmentsOf: (orderId) =>
      reading(async () => {
        const rows = await s.rows<ShipmentRow>(
          'SELECT * FROM dsync.shipments WHERE shop = $1 AND order_id = $2 ORDER BY created_at, key',
          [shop, orderId],
        );
        return rows.map(fromShipmentRow);
      }),
    getReturn: (returnId) => reading(() => getReturn(returnId)),
    findReturn: (ref) =>
      reading(async () => {
        const text = ref.trim();
        if (text.startsWith('gid://')) return getReturn(text);
        const bare = text.startsWith('#') ? text.slice(1) : text;
        const byName = await s.one<ReturnRow>(
          `SELECT * FROM dsync.returns WHERE shop = $1 AND (name = $2 OR name = $3)
            ORDER BY changed_at DESC LIMIT 1`,
          [shop, bare, `#${bare}`],
        );
        if (byName) return fromReturnRow(byName);
        if (/^\d+$/.test(text)) return getReturn(`gid://shopify/Return/${text}`);
        return undefined;
      }),
    listReturns: (filter = {}) =>
      reading(async () => {
        const limit = filter.limit ?? null;
        const rows = filter.warehouse
          ? await s.rows<ReturnRow>(
              `SELECT * FROM dsync.returns WHERE shop = $1 AND warehouse_state = $2
                ORDER BY changed_at DESC, return_id DESC LIMIT $3`,
              [shop, filter.warehouse, limit],
            )
          : await s.rows<ReturnRow>(
              'SELECT * FROM dsync.returns WHERE shop = $1 ORDER BY changed_at DESC, return_id DESC LIMIT $2',
              [shop, limit],
            );
        return rows.map(fromReturnRow);
      }),
    followedReturns: () =>
      reading(async () => {
        const rows = await s.rows<ReturnRow>(
          "SELECT * FROM dsync.returns WHERE shop = $1 AND warehouse_state = 'open' ORDER BY return_id",
          [shop],
        );
        return rows.map(fromReturnRow);
      }),
    recordReturnDelivered: (ret, event, state, at) =>
      writing(async () => {
        const prev = await getReturnRow(ret.returnId);
        await s.transaction(async () => {
          await saveReturn(
            ret,
            { warehouse: state, deliveredHash: event.hash, lastEvent: event.type, lastEventId: event.id },
            at,
            prev ?? null,
          );
          await addReturnActivity(ret.returnId, at.toISOString(), event.type, `event ${event.id}`);
        });
      }),
    recordReturnSeen: (ret, at) => writing(() => saveReturn(ret, {}, at)),
    noteReturn: (ret, action, detail, at) =>
      writing(async () => {
        await s.transaction(async () => {
          await saveReturnIfNew(ret, at);
          await addReturnActivity(ret.returnId, at.toISOString(), action, detail);
        });
      }),
    returnActivity: (returnId, limit = 200) =>
      reading(async () => {
        const rows = await s.rows<{ at: string; return_id: string; action: string; detail: string | null }>(
          `SELECT at, return_id, action, detail FROM dsync.return_activity WHERE shop = $1 AND return_id = $2
            ORDER BY id DESC LIMIT $3`,
          [shop, returnId, limit],
        );
        return rows
          .reverse()
          .map((row) => ({ at: row.at, returnId: row.return_id, action: row.action, detail: row.detail }));
      }),
    receipt: (key) =>
      reading(async () => {
        const row = await s.one<ReceiptRow>(
          'SELECT * FROM dsync.return_receipts WHERE shop = $1 AND key = $2',
          [shop, key],
        );
        return row ? fromReceiptRow(row) : undefined;
      }),
    recordReceiptIntent: (ret, receipt, at) =>
      writing(async () => {
        const when = at.toISOString();
        await s.transaction(async () => {
          await saveReturnIfNew(ret, at);
          await s.run(
            `INSERT INTO dsync.return_receipts (shop, key, return_id, return_name, sku, quantity, disposition,
               baseline, state, message, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', NULL, $9, $9)
             ON CONFLICT (shop, key) DO UPDATE SET state = 'pending', message = NULL,
               baseline = excluded.baseline, updated_at = excluded.updated_at`,
            [
              shop,
              receipt.key,
              ret.returnId,
              ret.name,
              receipt.sku,
              receipt.quantity,
              receipt.disposition,
              receipt.baseline,
              when,
            ],
          );
        });
      }),
    recordReceiptApplied: (ret, key, detail, at) =>
      writing(async () => {
        const when = at.toISOString();
        await s.transaction(async () => {
          await setReceiptState(key, 'applied', null, when);
          await addReturnActivity(ret.returnId, when, 'received', detail);
        });
      }),
    recordReceiptFailed: (ret, key, message, at) =>
      writing(async () => {
        const when = at.toISOString();
        await s.transaction(async () => {
          await setReceiptState(key, 'failed', message, when);
          await addReturnActivity(ret.returnId, when, 'receive_failed', message);
        });
      }),
    receiptsOf: (returnId) =>
      reading(async () => {
        const rows = await s.rows<ReceiptRow>(
          'SELECT * FROM dsync.return_receipts WHERE shop = $1 AND return_id = $2 ORDER BY created_at, key',
          [shop, returnId],
        );
        return rows.map(fromReceiptRow);
      }),
    getMeta: (key) =>
      reading(async () => {
        const row = await s.one<{ value: string }>(
          'SELECT value FROM dsync.meta WHERE shop = $1 AND key = $2',
          [shop, key],
        );
        return row?.value;
      }),
    setMeta: (key, value) =>
      writing(async () => {
        if (value === undefined)
          await s.run('DELETE FROM dsync.meta WHERE shop = $1 AND key = $2', [shop, key]);
        else
          await s.run(
            `INSERT INTO dsync.meta (shop, key, value) VALUES ($1, $2, $3)
             ON CONFLICT (shop, key) DO UPDATE SET value = excluded.value`,
            [shop, key, value],
          );
      }),
    close: () => options.onClose(),
  };
}
