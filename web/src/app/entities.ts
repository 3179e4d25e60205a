import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type ApiResponse } from '../api/client';
import { useAuth } from './auth';

export type EntitySummary = ApiResponse<'/api/entities'>['items'][number];

const PAGE = 200;
/** Enough for the entities any one screen names; beyond it a role shows the entity's reference. */
const MAX_PAGES = 5;

/**
 * The entities within the signed-in user's scope, by id, so roles scoped to an entity can name it.
 * For an entity's own people this is one small request; for national roles it is read once and cached.
 */
export function useEntityDirectory(enabled = true) {
  const { can } = useAuth();
  return useQuery({
    queryKey: ['entity-directory'],
    enabled: enabled && can('entities.read'),
    staleTime: 10 * 60_000,
    queryFn: async ({ signal }) => {
      const byId = new Map<string, EntitySummary>();
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const res = await unwrap(
          api.GET('/api/entities', { params: { query: { limit: PAGE, cursor } }, signal }),
        );
        for (const e of res.items) byId.set(e.id, e);
        if (!res.nextCursor) break;
        cursor = res.nextCursor;
      }
      return byId;
    },
  });
}

/** An entity's name in the interface language, falling back to English. */
export function useEntityLabel(): (e: Pick<EntitySummary, 'nameEn' | 'nameUr'>) => string {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  return useCallback((e) => (lang === 'ur' && e.nameUr ? e.nameUr : e.nameEn), [lang]);
}

/** Looks entity ids up in the directory; null when the entity is not (yet) known. */
export function useEntityName(enabled = true): (id: string) => string | null {
  const directory = useEntityDirectory(enabled);
  const label = useEntityLabel();
  const map = directory.data;
  return useMemo(
    () => (id: string) => {
      const e = map?.get(id);
      return e ? label(e) : null;
    },
    [map, label],
  );
}
